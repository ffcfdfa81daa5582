"""Triage outcome as text to paste into nDelius as a sensitive contact."""

from django.utils import timezone


def triage_contact_text(triage) -> str:
    record = triage.record
    meeting = getattr(triage, "meeting", None)
    lines = ["Complex Cases: triage"]
    if meeting is not None:
        lines.append(f"Meeting: {timezone.localtime(meeting.starts_at):%-d %B %Y}")
        attended = [
            i.display_name + f" ({i.role})"
            for i in meeting.invitees.select_related("user")
            if i.attended
        ]
        if attended:
            lines.append("Attended: " + "; ".join(attended))
    lines += ["", "Blockers identified:"]
    for blocker in record.blockers_found.prefetch_related("themes"):
        themes = ", ".join(theme.name for theme in blocker.themes.all())
        lines.append(f"- {blocker.description}" + (f" [{themes}]" if themes else ""))
    lines += [
        "",
        "Guidance given:",
        record.guidance,
        "",
        f"Outcome: {record.get_outcome_display()}",
    ]
    if record.panel_ask:
        lines.append(f"Panel asked to help with: {record.panel_ask}")
    if record.redirect_to:
        lines.append(
            f"Redirected to: {record.get_redirect_to_display()}. Reason: {record.redirect_reason}"
        )
    if record.notes:
        lines += ["", "Notes:", record.notes]
    return "\n".join(lines)
