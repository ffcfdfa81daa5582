"""Subject access: everything the service holds about one person, as a document and as JSON.

Gathered from every workflow for the data protection officer; staff names can be
redacted; producing it is logged as a disclosure. Each workflow adds its section here.
"""

from django.db.models import Model

from complexcases.people.models import Person


def _staff(user, redact: bool) -> str:
    if user is None:
        return ""
    return "[member of staff]" if redact else user.get_full_name()


def _fields(instance: Model, *, exclude=(), redact: bool, staff_fields=()) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name == "id":
            continue
        if field.name in staff_fields:
            data[field.name] = _staff(getattr(instance, field.name), redact)
        elif field.is_relation:
            continue
        else:
            value = getattr(instance, field.attname)
            data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def subject_access_report(*, person: Person, redact_staff: bool) -> dict:
    """Every record about the person, by kind; no other person's data."""
    from complexcases.core.models import AccessLogEntry
    from triage.models import TriageRequest

    redact = redact_staff
    report = {
        "person": {
            **_fields(person, redact=redact, staff_fields=("practitioner",)),
            "pdu": person.pdu.name,
            # The POM is a member of (prison) staff.
            **(
                {"pom_name": "[redacted]", "pom_contact": "[redacted]"}
                if redact and person.pom_name
                else {}
            ),
        },
        "screenings": [
            {**_fields(s, redact=redact, exclude=("person",)), "extract_as_at": s.as_at.isoformat()}
            for s in person.screenings.order_by("as_at")
        ],
        "monthly_list_entries": [
            {
                "month": e.monthly_list.month.isoformat(),
                "pdu": e.monthly_list.pdu.name,
                "status": e.get_status_display(),
            }
            for e in person.list_entries.select_related("monthly_list__pdu").order_by(
                "monthly_list__month"
            )
        ],
        "reflective_conversations": [
            _fields(
                c, redact=redact, staff_fields=("spo", "recorded_by"), exclude=("entry", "person")
            )
            for c in person.reflective_conversations.select_related("spo", "recorded_by")
        ],
        "pathway_overrides": [
            _fields(o, redact=redact, staff_fields=("marked_by",), exclude=("person",))
            for o in person.pathway_overrides.select_related("marked_by")
        ],
        "triage_requests": [],
        "access_log": [
            {
                "at_utc": a.at.isoformat(),
                "by": _staff(a.user, redact),
                "action": a.action,
                "record_type": a.record_type,
                "detail": a.detail,
                "recipient": "[redacted]" if redact and a.recipient else a.recipient,
            }
            for a in AccessLogEntry.objects.filter(person_id=person.pk)
            .select_related("user")
            .order_by("at")
        ],
    }
    for request in (
        TriageRequest.objects.filter(person=person)
        .select_related("requested_by", "assigned_to", "meeting", "record")
        .order_by("requested_at")
    ):
        item = _fields(
            request,
            redact=redact,
            staff_fields=("requested_by", "assigned_to"),
            exclude=("person",),
        )
        meeting = getattr(request, "meeting", None)
        if meeting is not None:
            item["meeting"] = {
                **_fields(
                    meeting,
                    redact=redact,
                    staff_fields=("scheduled_by",),
                    exclude=("request", "calendar_uid"),
                ),
                "invitees": [
                    {
                        "name": "[redacted]" if redact else i.display_name,
                        "role": i.role,
                        "attended": i.attended,
                    }
                    for i in meeting.invitees.select_related("user")
                ],
            }
        record = getattr(request, "record", None)
        if record is not None:
            item["outcome"] = {
                **_fields(
                    record, redact=redact, staff_fields=("recorded_by",), exclude=("request",)
                ),
                "blockers": [
                    {"description": b.description, "themes": [t.name for t in b.themes.all()]}
                    for b in record.blockers_found.prefetch_related("themes")
                ],
            }
        report["triage_requests"].append(item)
    from jcw.subject_access import jcw_subject_access
    from panel.subject_access import panel_subject_access

    panel = panel_subject_access(person=person, redact_staff=redact)
    report["panel_bookings"] = panel["bookings"]
    report["panel_actions"] = panel["actions"]
    report["follow_ups"] = panel["follow_ups"]
    report["pathway_closures"] = panel["closures"]
    report["joint_case_work"] = jcw_subject_access(person=person, redact_staff=redact)
    return report
