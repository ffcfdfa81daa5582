"""Group the records made before the case existed into cases (ADR 0040, docs/cases.md).

For each person, triage requests in the order they were made: a request opens a case unless
the person's latest case is still open (a request after "back to triage", or a second
request while a referral waited), in which case it joins that case. A case closes with
guidance or redirection at triage, a withdrawn or cancelled request, or a pathway closure.
Bookings and closures follow their triage record's case. The rules are frozen here, so
later code changes do not change what this migration did.
"""

from django.db import migrations

CLOSED = "closed"


def _next_pk(cursor) -> int:
    cursor.execute("SELECT nextval(pg_get_serial_sequence('cases_case', 'id'))")
    return cursor.fetchone()[0]


def _closing(request, record, closures_by_request):
    """(reason, when) if the case is closed after this request, else None."""
    if request.status in ("withdrawn", "cancelled"):
        return request.status, request.updated_at
    if record is None:
        return None
    if record.outcome == "closed_with_guidance":
        return "guidance", record.recorded_at
    if record.outcome == "redirect":
        return "redirected", record.recorded_at
    closure = closures_by_request.get(request.pk)
    if closure is not None:
        return "pathway_closed", closure.closed_at
    return None


def _open_status(request, record, bookings, follow_ups):
    """Where an open case stands, from its latest request and the case's bookings."""
    if request.status in ("requested", "scheduled", "held"):
        return {"requested": "requested", "scheduled": "triage_scheduled"}.get(
            request.status, "triage_held"
        )
    if any(b.status == "booked" for b in bookings):
        return "booked"
    heard = [b for b in bookings if b.status == "heard" and b.booked_at >= record.recorded_at]
    if not heard:
        return "awaiting_panel"
    latest = max(heard, key=lambda b: b.booked_at)
    checks = follow_ups.get(latest.pk, [])
    completed = sorted((f for f in checks if f.status == "completed"), key=lambda f: f.completed_at)
    if completed and completed[-1].further_support == "panel":
        return "awaiting_panel"
    return "in_follow_up" if checks else "heard"


def group(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    TriageRequest = apps.get_model("triage", "TriageRequest")
    TriageRecord = apps.get_model("triage", "TriageRecord")
    PanelBooking = apps.get_model("panel", "PanelBooking")
    FollowUp = apps.get_model("panel", "FollowUp")
    PathwayClosure = apps.get_model("panel", "PathwayClosure")

    records = {r.request_id: r for r in TriageRecord.objects.all()}
    bookings_by_record: dict = {}
    for booking in PanelBooking.objects.order_by("booked_at"):
        bookings_by_record.setdefault(booking.triage_record_id, []).append(booking)
    follow_ups: dict = {}
    for follow_up in FollowUp.objects.all():
        follow_ups.setdefault(follow_up.booking_id, []).append(follow_up)
    closures_by_booking = {c.booking_id: c for c in PathwayClosure.objects.exclude(booking=None)}
    closures_by_request = {}
    for record in records.values():
        for booking in bookings_by_record.get(record.pk, []):
            if booking.pk in closures_by_booking:
                closures_by_request[record.request_id] = closures_by_booking[booking.pk]

    by_person: dict = {}
    for request in TriageRequest.objects.order_by("requested_at", "pk"):
        by_person.setdefault(request.person_id, []).append(request)

    with schema_editor.connection.cursor() as cursor:
        for person_id, requests in by_person.items():
            groups, current = [], None
            for request in requests:
                if current is None or current["closed"]:
                    current = {"requests": [], "closed": None}
                    groups.append(current)
                current["requests"].append(request)
                current["closed"] = _closing(request, records.get(request.pk), closures_by_request)
            for grouped in groups:
                first, last = grouped["requests"][0], grouped["requests"][-1]
                bookings = [
                    b
                    for r in grouped["requests"]
                    if r.pk in records
                    for b in bookings_by_record.get(records[r.pk].pk, [])
                ]
                moments = [r.updated_at for r in grouped["requests"]] + [
                    b.updated_at for b in bookings
                ]
                pk = _next_pk(cursor)
                fields = {
                    "pk": pk,
                    "reference": f"CC-{first.requested_at:%Y}-{pk:05d}",
                    "person_id": person_id,
                    "opened_at": first.requested_at,
                    "opened_by_id": first.requested_by_id,
                }
                if grouped["closed"]:
                    reason, when = grouped["closed"]
                    when = max(when, first.requested_at)
                    fields |= {"status": CLOSED, "closed_reason": reason, "closed_at": when}
                    fields["status_changed_at"] = when
                else:
                    fields["status"] = _open_status(
                        last, records.get(last.pk), bookings, follow_ups
                    )
                    fields["status_changed_at"] = max(moments)
                case = Case.objects.create(**fields)
                TriageRequest.objects.filter(pk__in=[r.pk for r in grouped["requests"]]).update(
                    case=case
                )
                PanelBooking.objects.filter(pk__in=[b.pk for b in bookings]).update(case=case)
                PathwayClosure.objects.filter(booking__in=[b.pk for b in bookings]).update(
                    case=case
                )

        # Bookings without a triage record (none are made now) open a case of their own.
        for booking in PanelBooking.objects.filter(case=None).order_by("booked_at"):
            pk = _next_pk(cursor)
            closure = closures_by_booking.get(booking.pk)
            case = Case.objects.create(
                pk=pk,
                reference=f"CC-{booking.booked_at:%Y}-{pk:05d}",
                person_id=booking.person_id,
                opened_at=booking.booked_at,
                opened_by_id=booking.booked_by_id,
                status=CLOSED,
                closed_reason="pathway_closed" if closure else "cancelled",
                closed_at=max(
                    closure.closed_at if closure else booking.updated_at, booking.booked_at
                ),
                status_changed_at=max(booking.updated_at, booking.booked_at),
            )
            PanelBooking.objects.filter(pk=booking.pk).update(case=case)
            PathwayClosure.objects.filter(booking=booking.pk).update(case=case)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("triage", "0005_case"),
        ("panel", "0005_case"),
    ]

    operations = [migrations.RunPython(group, migrations.RunPython.noop)]
