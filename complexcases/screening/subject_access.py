"""Screening's part of a subject access report: screenings, list entries, conversations and
overrides."""

from complexcases.core.subject_access import _fields


def screening_subject_access(*, person, redact_staff: bool) -> dict:
    redact = redact_staff
    return {
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
    }
