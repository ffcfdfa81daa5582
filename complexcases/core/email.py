"""Queue an email about a person: logged as a disclosure now, sent by a worker after commit."""

import base64

from django.db import transaction

from .access_log import Action, access_log_record


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
) -> None:
    """Call inside the transaction of the change the email reports. No names or CRNs in the email."""
    from .tasks import send_email

    recipients = sorted({address.lower() for address in to if address})
    if not recipients:
        return
    if person is not None:
        access_log_record(
            user=sent_by,
            action=Action.DISCLOSURE,
            record_type=record_type,
            person=person,
            record_id=record_id,
            detail=f"Email: {subject}"[:200],
            recipient=", ".join(recipients),
        )
    encoded = [
        (name, base64.b64encode(content).decode(), mimetype)
        for name, content, mimetype in attachments or []
    ]
    transaction.on_commit(
        lambda: send_email.delay(subject=subject, body=body, to=recipients, attachments=encoded)
    )
