"""A follow-up check-in as text to paste into nDelius as a sensitive contact."""

from django.utils import timezone


def follow_up_contact_text(follow_up) -> str:
    lines = [
        f"Complex Cases: follow-up check-in {follow_up.number} after panel",
        f"Recorded: {timezone.localtime(follow_up.completed_at):%-d %B %Y} by "
        f"{follow_up.completed_by.get_full_name()}",
        "",
    ]
    progress = list(follow_up.progress.select_related("action"))
    if progress:
        lines.append("Progress on actions:")
        lines += [f"- {p.action.description}: {p.note}" for p in progress]
        lines.append("")
    if follow_up.developments:
        lines += ["Developments:", follow_up.developments, ""]
    # The practitioner's wellbeing stays in the service: it is about them, not the person.
    lines.append(f"Further support: {follow_up.get_further_support_display()}")
    outcomes = [o.name for o in follow_up.early_outcomes.all() if o.name != "Other"]
    if follow_up.other_outcome:
        outcomes.append(f"Other: {follow_up.other_outcome}")
    if outcomes:
        lines.append("Early outcomes: " + "; ".join(outcomes))
    return "\n".join(lines)
