"""Joint case work's section of a subject access report (complexcases/core/subject_access.py)."""

from .models import JcwEpisode
from .reference import AGREEMENT_SCALE, CONFIDENCE_SCALE, RATING_STATEMENTS
from .selectors import activity_names


def _staff(user, redact: bool) -> str:
    if user is None:
        return ""
    return "[member of staff]" if redact else user.get_full_name()


def _when(value) -> str:
    return value.isoformat() if value else ""


def jcw_subject_access(*, person, redact_staff: bool) -> list[dict]:
    """Every joint case work episode about the person, with its contacts and feedback."""
    redact = redact_staff
    agreement, confidence = dict(AGREEMENT_SCALE), dict(CONFIDENCE_SCALE)
    episodes = (
        JcwEpisode.objects.filter(person=person)
        .select_related("pdu", "clinician", "practitioner", "closed_by")
        .prefetch_related(
            "contacts__activities__activity_type",
            "contacts__recorded_by",
            "contacts__practitioner_view_by",
            "feedback__given_by",
        )
        .order_by("started_on", "pk")
    )
    report = []
    for episode in episodes:
        report.append(
            {
                "started_on": _when(episode.started_on),
                "pdu": episode.pdu.name,
                "clinician": _staff(episode.clinician, redact),
                "practitioner": _staff(episode.practitioner, redact),
                "opd_screened_in": episode.opd_screened_in,
                "not_screened_in_reason": episode.not_screened_in_reason,
                "dilemma": episode.dilemma,
                "desired_outcome": episode.desired_outcome,
                "planned_sessions": episode.planned_sessions,
                "extra_sessions_reason": episode.extra_sessions_reason,
                "status": episode.get_status_display(),
                "outcome": episode.get_outcome_display() if episode.outcome else "",
                "closing_note": episode.closing_note,
                "closed_on": _when(episode.closed_on),
                "contacts": [
                    {
                        "occurred_at": _when(contact.occurred_at),
                        "contact_type": contact.get_contact_type_display(),
                        "session_number": contact.session_number,
                        "activities": activity_names(contact),
                        "others_took_part": contact.others_took_part,
                        "notes": contact.notes,
                        "next_steps": contact.next_steps,
                        "extra_session_reason": contact.extra_session_reason,
                        "recorded_by": _staff(contact.recorded_by, redact),
                        "practitioner_view": contact.practitioner_view,
                        "practitioner_view_by": _staff(contact.practitioner_view_by, redact),
                    }
                    for contact in episode.contacts.all()
                ],
                "feedback": [
                    {
                        "given_at": _when(feedback.given_at),
                        "given_by": _staff(feedback.given_by, redact),
                        "stage": feedback.get_stage_display(),
                        "worked_well": feedback.worked_well,
                        "did_not_work": feedback.did_not_work,
                        **{
                            short: agreement[getattr(feedback, field)]
                            for field, _statement, short in RATING_STATEMENTS
                        },
                        "confidence_before": confidence[feedback.confidence_before],
                        "confidence_after": confidence[feedback.confidence_after],
                    }
                    for feedback in episode.feedback.all()
                ],
            }
        )
    return report
