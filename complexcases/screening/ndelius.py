"""Text to paste into nDelius as a sensitive contact. Plain text, short lines, no markup."""


def reflective_conversation_contact_text(conversation) -> str:
    lines = [
        "Complex Cases: reflective conversation",
        f"Date: {conversation.held_on:%-d %B %Y}",
        f"Practitioner: {conversation.recorded_by.get_full_name()}",
        f"SPO: {conversation.spo.get_full_name()}",
        f"Listed on: {conversation.entry.monthly_list.month:%B %Y} complex cases list",
        f"Outcome: {conversation.get_outcome_display()}",
        "",
        "Notes:",
        conversation.notes.strip(),
    ]
    return "\n".join(lines)
