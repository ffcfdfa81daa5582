"""Triage's part of a subject access report: requests, meetings and outcomes."""

from complexcases.core.subject_access import _fields

from .models import TriageRequest


def triage_subject_access(*, person, redact_staff: bool) -> dict:
    redact = redact_staff
    report = {"triage_requests": []}
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
    return report
