"""The panel part of a subject access report: bookings, minutes, actions and follow-ups."""

from complexcases.core.subject_access import _fields, _staff

from .models import (
    FollowUp,
    PanelAction,
    PanelBooking,
    PanelMinutes,
    PapersLinkFailure,
    PathwayClosure,
)


def panel_subject_access(*, person, redact_staff: bool) -> dict:
    redact = redact_staff
    bookings = []
    for booking in (
        PanelBooking.objects.filter(person=person)
        .select_related("slot", "booked_by")
        .order_by("slot__starts_at")
    ):
        item = {
            "slot_starts_at_utc": booking.slot.starts_at.isoformat(),
            "status": booking.get_status_display(),
            "booked_by": _staff(booking.booked_by, redact),
            "cancelled_reason": booking.cancelled_reason,
            "invitees": [
                {
                    "name": "[redacted]" if redact else invitee.display_name,
                    "seat": invitee.role.name,
                    "organisation": invitee.organisation,
                    "suggested_because": invitee.suggested_because,
                    "attendance": invitee.get_attendance_display(),
                }
                for invitee in booking.invitees.select_related("user", "role").filter(
                    removed_at__isnull=True
                )
            ],
            "papers": [
                {
                    "title": paper.title,
                    "kind": paper.kind,
                    "uploaded_at": paper.uploaded_at.isoformat(),
                }
                for paper in booking.papers.filter(removed_at__isnull=True)
            ],
            "minutes_versions": [],
            # Personal links to the papers sent to invitees outside the service (ADR 0045).
            "papers_links": [
                {
                    "sent_to": "[redacted]" if redact else link.email,
                    "sent_at": link.created_at.isoformat(),
                    "stopped_at": link.revoked_at.isoformat() if link.revoked_at else None,
                    "stopped_because": link.revoked_reason,
                    "downloads": link.downloads,
                    "codes_sent": link.codes.count(),
                    "failed_tries": PapersLinkFailure.objects.filter(link=link).count(),
                }
                for link in booking.papers_links.all()
            ],
        }
        minutes = PanelMinutes.objects.filter(booking=booking).first()
        if minutes is not None:
            item["minutes_versions"] = [
                {
                    "number": version.number,
                    "content": version.content,
                    "reason": version.reason,
                    "finalised_by": _staff(version.finalised_by, redact),
                    "finalised_at": version.finalised_at.isoformat(),
                }
                for version in minutes.versions.select_related("finalised_by")
            ]
        bookings.append(item)
    return {
        "bookings": bookings,
        "actions": [
            {
                **_fields(
                    action,
                    redact=redact,
                    staff_fields=("owner", "chaser", "created_by"),
                    exclude=("person", "booking"),
                ),
                # An owner outside the service is another person: redacted like staff.
                **(
                    {"owner_name": "[redacted]", "owner_email": "[redacted]"}
                    if redact and action.owner_name
                    else {}
                ),
                "updates": [
                    {"note": u.note, "by": _staff(u.by, redact), "at": u.at.isoformat()}
                    for u in action.updates.select_related("by")
                ],
            }
            for action in PanelAction.objects.filter(person=person).select_related(
                "owner", "chaser", "created_by"
            )
        ],
        "follow_ups": [
            {
                **_fields(
                    f,
                    redact=redact,
                    staff_fields=("qdo", "completed_by"),
                    # The practitioner's wellbeing is about the practitioner, not this person.
                    exclude=("person", "booking", "wellbeing", "wellbeing_notes"),
                ),
                "early_outcomes": [o.name for o in f.early_outcomes.all()],
                "action_progress": [
                    {"action": p.action.description, "note": p.note}
                    for p in f.progress.select_related("action")
                ],
            }
            for f in FollowUp.objects.filter(person=person).select_related("qdo", "completed_by")
        ],
        "closures": [
            _fields(c, redact=redact, staff_fields=("closed_by",), exclude=("person", "booking"))
            for c in PathwayClosure.objects.filter(person=person).select_related("closed_by")
        ],
    }
