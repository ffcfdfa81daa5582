"""Queue an email: written to the outbox with the change (ADR 0051), sent by a worker after commit."""

import base64

from django.core.mail import EmailMessage

from .access_log import Action, access_log_record
from .email_templates import email_template_check


def email_message(
    *,
    subject: str,
    body: str,
    to: list[str],
    template: str = "",
    personalisation: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMessage:
    """An EmailMessage that also carries its Notify template key and personalisation.

    SMTP and the file backend send the subject and body; the Notify backend sends the
    template and personalisation (see complexcases.core.email_templates).
    """
    if template:
        email_template_check(template, personalisation or {})
    if personalisation and "case_reference" in personalisation:
        body = f"{body.rstrip()}\n\nCase reference: {personalisation['case_reference']}\n"
    message = EmailMessage(subject=subject, body=body, to=to)
    message.template = template
    message.personalisation = dict(personalisation or {})
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


def email_queue(
    *,
    subject: str,
    body: str,
    to: list[str],
    person=None,
    record_type: str,
    record_id: object = "",
    sent_by=None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    template: str,
    personalisation: dict | None = None,
) -> None:
    """Call inside the transaction of the change the email reports. No names or CRNs in the email.

    The email is a queued EmailDelivery row per recipient, written in that transaction (with
    the access-log disclosure row when it is about a person): it exists exactly when the change
    does, and is delivered by a worker even if the broker is down when the change commits.
    """
    from .outbox import email_outbox_add

    email_template_check(template, personalisation or {})
    recipients = sorted({address.lower() for address in to if address})
    if not recipients:
        return
    disclosure_id = None
    if person is not None:
        disclosure_id = access_log_record(
            user=sent_by,
            action=Action.DISCLOSURE,
            record_type=record_type,
            person=person,
            record_id=record_id,
            detail=f"Email: {subject}"[:200],
            recipient=", ".join(recipients),
        ).pk
    email_outbox_add(
        subject=subject,
        body=body,
        recipients=recipients,
        template=template,
        personalisation={key: _plain(value) for key, value in (personalisation or {}).items()},
        attachments=[
            [name, base64.b64encode(content).decode(), mimetype]
            for name, content, mimetype in attachments or []
        ],
        disclosure_id=disclosure_id,
    )


def _plain(value):
    """Personalisation is kept as JSON: strings, or lists of strings."""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)
