import base64

from celery import shared_task
from django.core.mail import EmailMessage

from .services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=False)
def record_worker_heartbeat(self) -> str:
    """Beat runs this every minute so /healthz can tell whether workers are consuming."""
    worker = self.request.hostname or "unknown"
    heartbeat = worker_heartbeat_record(worker=worker)
    return heartbeat.beat_at.isoformat()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_email(
    self, *, subject: str, body: str, to: list[str], attachments: list | None = None
) -> int:
    """Send one email built by a service (which logged it); retry while the mail server is away.

    Attachments are (filename, base64 content, MIME type) so the message stays JSON.
    """
    message = EmailMessage(subject=subject, body=body, to=to)
    for filename, content, mimetype in attachments or []:
        message.attach(filename, base64.b64decode(content), mimetype)
    try:
        return message.send()
    except OSError as error:
        raise self.retry(exc=error) from error


@shared_task
def apply_access_log_retention() -> int:
    """Daily: delete access log rows older than ACCESS_LOG_RETENTION_DAYS (default two years)."""
    from django.conf import settings

    from .services import access_log_apply_retention

    return access_log_apply_retention(older_than_days=settings.ACCESS_LOG_RETENTION_DAYS)
