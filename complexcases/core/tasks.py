import base64
import logging

from celery import shared_task
from django.conf import settings

from .email import email_message
from .metrics import emails_failed, emails_sent
from .notify import EmailRefused, EmailTemporarilyUnavailable
from .selectors import email_recipients_sent
from .services import email_delivery_record, worker_heartbeat_record

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=False)
def record_worker_heartbeat(self) -> str:
    """Beat runs this every minute so /healthz can tell whether workers are consuming."""
    worker = self.request.hostname or "unknown"
    heartbeat = worker_heartbeat_record(worker=worker)
    return heartbeat.beat_at.isoformat()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_email(
    self,
    *,
    subject: str,
    body: str,
    to: list[str],
    attachments: list | None = None,
    template: str = "",
    personalisation: dict | None = None,
    disclosure_id: int | None = None,
) -> int:
    """Send an email built by a service (which logged it), one message per recipient, so no
    recipient sees another's address; retry while the mail service is away.

    Attachments are (filename, base64 content, MIME type) so the message stays JSON. Each
    recipient's send is recorded (EmailDelivery, with the Notify id) beside the disclosure row,
    and a retry skips recipients already sent. Temporary failures (the mail server away, Notify
    5xx or 429) are retried with back-off; a refusal (Notify 400) is recorded for that
    recipient, never retried, and the others are still sent.
    """
    task_id = self.request.id or ""
    already = email_recipients_sent(task_id=task_id) if task_id else set()
    decoded = [
        (filename, base64.b64decode(content), mimetype)
        for filename, content, mimetype in attachments or []
    ]
    recipients = [address for address in to if address not in already]
    if not recipients:
        return 0
    kind = template or "untemplated"

    def record(recipient, status, notify_id="", error=""):
        email_delivery_record(
            task_id=task_id,
            template=template,
            disclosure_id=disclosure_id,
            recipient=recipient,
            status=status,
            notify_id=notify_id,
            error=error,
        )

    sent = 0
    for recipient in recipients:
        message = email_message(
            subject=subject,
            body=body,
            to=[recipient],
            template=template,
            personalisation=personalisation,
            attachments=decoded,
        )
        try:
            message.send()
        except EmailRefused as error:
            record(recipient, "failed", error=str(error)[:300])
            emails_failed.labels(kind=kind, reason="refused").inc()
            logger.error("Email %s refused by the mail service, not retried: %s", kind, error)
            continue
        except (OSError, EmailTemporarilyUnavailable) as error:
            if self.request.retries >= self.max_retries:
                unsent = recipients[recipients.index(recipient) :]
                for address in unsent:
                    record(
                        address,
                        "failed",
                        error=f"Gave up after {self.max_retries} retries: {error}"[:300],
                    )
                emails_failed.labels(kind=kind, reason="gave_up").inc()
                logger.error(
                    "Email %s not sent after %s retries: %s", kind, self.max_retries, error
                )
                raise
            emails_failed.labels(kind=kind, reason="retrying").inc()
            logger.warning("Email %s not sent yet, will retry: %s", kind, error)
            # Back-off: 1, 2, 4, 8 then 16 minutes.
            raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
        sent_ids = dict(getattr(message, "sent_ids", []))
        record(recipient, "sent", sent_ids.get(recipient, ""))
        sent += 1
    emails_sent.labels(kind=kind, backend=settings.EMAIL_BACKEND.rsplit(".", 1)[-1]).inc(sent)
    return sent


@shared_task
def apply_access_log_retention() -> int:
    """Daily: delete access log rows older than ACCESS_LOG_RETENTION_DAYS (default two years).

    Email deliveries (which name the recipients) go with them, and expired calendar files."""
    from .services import access_log_apply_retention, email_delivery_apply_retention

    email_delivery_apply_retention(older_than_days=settings.ACCESS_LOG_RETENTION_DAYS)
    return access_log_apply_retention(older_than_days=settings.ACCESS_LOG_RETENTION_DAYS)
