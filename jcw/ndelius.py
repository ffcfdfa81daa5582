"""A joint case work contact as text to paste into nDelius as a contact."""

from django.utils import timezone

from complexcases.core.formatting import govuk_time

from .selectors import activity_names


def jcw_contact_text(contact) -> str:
    episode = contact.episode
    if contact.is_joint_case_work:
        heading = (
            f"OPD joint case work: {contact.get_contact_type_display().split()[0].lower()} "
            f"(session {contact.session_number} of {episode.planned_sessions} planned)"
        )
    else:
        heading = "OPD case consultation"
    took_part = []
    if contact.clinician_took_part:
        took_part.append(f"{episode.clinician.get_full_name()} (OPD clinician)")
    if contact.practitioner_took_part:
        took_part.append(f"{episode.practitioner.get_full_name()} (probation practitioner)")
    if contact.others_took_part:
        took_part.append(contact.others_took_part)
    lines = [
        heading,
        f"Date: {timezone.localtime(contact.occurred_at):%-d %B %Y}, {govuk_time(contact.occurred_at)}",
        "Took part: " + "; ".join(took_part),
    ]
    if contact.contact_type == contact.ContactType.DIRECT:
        lines.append("The person on probation was present.")
    activities = activity_names(contact)
    if activities:
        lines.append("Activities: " + "; ".join(activities))
    if episode.has_aim:
        lines += [
            "",
            f"Dilemma to solve: {episode.dilemma}",
            f"Desired outcome: {episode.desired_outcome}",
        ]
    lines += ["", "Notes:", contact.notes]
    if contact.next_steps:
        lines += ["", "Next steps:", contact.next_steps]
    if contact.extra_session_reason:
        lines += ["", f"Why a session beyond the sixth: {contact.extra_session_reason}"]
    if contact.practitioner_view:
        lines += ["", "Practitioner's view:", contact.practitioner_view]
    return "\n".join(lines)
