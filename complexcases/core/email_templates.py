"""Every kind of email the service sends: a stable key, and the placeholders its template uses.

With GOV.UK Notify each key maps to a template id (NOTIFY_TEMPLATE_IDS); the operator creates
the templates from docs/notify-templates.md, which tests/core/test_notify.py keeps in step with
this list. Placeholders carry links, dates and counts: never a name or a CRN.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EmailTemplate:
    key: str
    description: str
    placeholders: tuple[str, ...]


# The case reference (CC-2026-00123) is neither a name nor a CRN: every email about a case has it.
_MEETING = ("when", "link", "calendar_link", "case_reference")

EMAIL_TEMPLATES = {
    template.key: template
    for template in [
        EmailTemplate(
            "triage-request-received",
            "A triage request has been received (to the requester and their SPO)",
            ("link", "urgent", "case_reference"),
        ),
        EmailTemplate("triage-meeting-invite", "Invitation to a triage meeting", _MEETING),
        EmailTemplate("triage-meeting-update", "A triage meeting has moved", _MEETING),
        EmailTemplate("triage-meeting-cancel", "A triage meeting is cancelled", _MEETING),
        EmailTemplate(
            "triage-outcome-recorded",
            "The outcome of a triage is recorded",
            ("link", "case_reference"),
        ),
        EmailTemplate("jcw-opened", "Joint case work opened with a practitioner", ("link",)),
        EmailTemplate("jcw-ended", "Joint case work ended: asks for feedback", ("link",)),
        EmailTemplate("jcw-contact-recorded", "A joint case work contact is recorded", ("link",)),
        EmailTemplate("jcw-feedback-given", "A practitioner gave feedback", ("link",)),
        EmailTemplate("panel-invite", "Invitation to a panel discussion", _MEETING),
        EmailTemplate("panel-update", "A panel discussion has moved", _MEETING),
        EmailTemplate("panel-cancel", "A panel discussion is cancelled", _MEETING),
        # Invitees outside the service cannot sign in: their own emails, with no service link.
        EmailTemplate(
            "panel-invite-external",
            "Invitation to a panel discussion for someone outside the service, with their "
            "personal link to the papers",
            ("when", "papers_link", "link_expires", "calendar_link", "case_reference"),
        ),
        EmailTemplate(
            "panel-update-external",
            "A panel discussion has moved (to someone outside the service)",
            ("when", "calendar_link", "case_reference"),
        ),
        EmailTemplate(
            "panel-cancel-external",
            "A panel discussion is cancelled (to someone outside the service)",
            ("when", "calendar_link", "case_reference"),
        ),
        EmailTemplate(
            "panel-papers-ready-external",
            "Panel papers are released (to someone outside the service: use the link they have)",
            ("link_expires", "case_reference"),
        ),
        EmailTemplate(
            "panel-papers-code",
            "A one-time code to open a personal link to panel papers",
            ("code", "minutes"),
        ),
        EmailTemplate(
            "panel-papers-ready", "Panel papers are released", ("link", "case_reference")
        ),
        EmailTemplate(
            "panel-minutes-final", "Panel minutes and actions are final", ("link", "case_reference")
        ),
        EmailTemplate(
            "follow-up-scheduled",
            "A follow-up check-in is assigned (with its due date)",
            ("due_on", "link", "case_reference"),
        ),
        EmailTemplate(
            "follow-up-reassigned", "A follow-up check-in is reassigned", ("link", "case_reference")
        ),
        EmailTemplate(
            "further-triage-recommended",
            "A follow-up recommends a further triage",
            ("link", "case_reference"),
        ),
        EmailTemplate(
            "reminder-digest",
            "Daily digest of actions and follow-ups due (a list of links)",
            ("items", "link"),
        ),
        EmailTemplate(
            "work-passed-to-you",
            "A leaver's work passed to a colleague",
            ("items", "links"),
        ),
        EmailTemplate("work-passed-on", "A leaver's own work has been passed on", ()),
        EmailTemplate(
            "staff-password-set", "A system administrator set a member of staff's password", ()
        ),
        EmailTemplate(
            "staff-roles-changed",
            "A member of staff's roles changed (before and after)",
            ("roles_before", "roles_after", "link"),
        ),
        EmailTemplate(
            "role-change-approval-needed",
            "A role change waits for another system administrator's approval",
            ("link",),
        ),
        EmailTemplate(
            "authenticator-app-added", "An authenticator app was added to an account", ()
        ),
        EmailTemplate(
            "authenticator-app-replaced", "An authenticator app replaced another on an account", ()
        ),
        EmailTemplate(
            "monthly-list-ready",
            "The monthly complex cases list for a PDU is ready",
            ("pdu", "month", "new", "listed_again", "no_longer_listed", "link"),
        ),
    ]
}

# Filled in by the Notify backend from the email's calendar attachment, not by the caller.
FILLED_BY_BACKEND = {"calendar_link"}


def email_template_check(template: str, personalisation: dict) -> None:
    """Refuse (a programming error) an unknown key, or personalisation that is not the template's."""
    known = EMAIL_TEMPLATES.get(template)
    if known is None:
        raise ValueError(f"Unknown email template {template!r}: add it to EMAIL_TEMPLATES")
    expected = set(known.placeholders) - FILLED_BY_BACKEND
    if set(personalisation) != expected:
        raise ValueError(
            f"Email template {template!r} takes {sorted(expected)}, given {sorted(personalisation)}"
        )
