"""Writes that belong to the service as a whole."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import WorkerHeartbeat
from .notify import EmailTemporarilyUnavailable

logger = logging.getLogger(__name__)


def worker_heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Record that `worker` is alive now (one row per worker, updated in place)."""
    with transaction.atomic():
        heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
            worker=worker[:200], defaults={"beat_at": timezone.now()}
        )
    return heartbeat


def access_log_apply_retention(*, older_than_days: int) -> int:
    """Delete access log rows past the retention period, through the database function that
    alone may (SECURITY DEFINER, owned by the owner role; it refuses under 365 days: ADR 0023)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT core_access_log_apply_retention(%s)", [older_than_days])
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class EmailDeliveryOutcome:
    sent: int
    # Set when recipients are still queued after a temporary failure: try again after this.
    retry_in: timedelta | None = None


def email_deliver(*, email_id: str) -> EmailDeliveryOutcome:
    """Send one outbox email to its recipients still queued, and record each one's outcome.

    The queued rows are locked (SKIP LOCKED) while the email is sent, so a second hand-over of
    the same email, running at the same time or later, finds nothing to send: nobody gets it
    twice unless a worker dies between the mail service taking it and the commit. Temporary
    failures (the mail server away, Notify 5xx or 429, anything unexpected) leave the unsent
    recipients queued with the error and a back-off, until EMAIL_MAX_RETRIES retries have
    failed; a refusal (Notify 4xx) is recorded as failed at once.
    """
    import base64

    from django.conf import settings

    from .email import email_message
    from .metrics import emails_failed, emails_sent
    from .models import EmailDelivery
    from .notify import EmailRefused
    from .outbox import email_retry_in

    with transaction.atomic():
        rows = list(
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(email_id=email_id, status=EmailDelivery.Status.QUEUED)
            .order_by("pk")
        )
        if not rows:
            return EmailDeliveryOutcome(sent=0)
        first = rows[0]
        kind = first.template or "untemplated"
        attempt = max(row.attempts for row in rows) + 1
        message = email_message(
            subject=first.subject,
            body=first.body,
            to=[row.recipient for row in rows],
            template=first.template,
            personalisation=first.personalisation,
            attachments=[
                (filename, base64.b64decode(content), mimetype)
                for filename, content, mimetype in first.attachments
            ],
        )
        now = timezone.now()
        retry_in = None
        try:
            message.send()
        except EmailRefused as error:
            failed = {"status": EmailDelivery.Status.FAILED, "error": str(error)[:300]}
            emails_failed.labels(kind=kind, reason="refused").inc()
            logger.error("Email %s refused by the mail service, not retried: %s", kind, error)
        except DatabaseError:
            raise  # the database is away: nothing can be recorded; the task retries
        except Exception as error:
            reason = str(error) or type(error).__name__
            if attempt > settings.EMAIL_MAX_RETRIES:
                failed = {
                    "status": EmailDelivery.Status.FAILED,
                    "error": f"Gave up after {settings.EMAIL_MAX_RETRIES} retries: {reason}"[:300],
                }
                emails_failed.labels(kind=kind, reason="gave_up").inc()
                logger.error(
                    "Email %s not sent after %s retries: %s",
                    kind,
                    settings.EMAIL_MAX_RETRIES,
                    reason,
                    exc_info=not isinstance(error, OSError | EmailTemporarilyUnavailable),
                )
            else:
                retry_in = email_retry_in(attempt)
                failed = {"error": reason[:300], "next_attempt_at": now + retry_in}
                emails_failed.labels(kind=kind, reason="retrying").inc()
                logger.warning("Email %s not sent yet, will retry: %s", kind, reason)
        else:
            failed = None
        sent_ids = dict(getattr(message, "sent_ids", []) or [])
        if failed is None:
            sent_ids = {row.recipient: sent_ids.get(row.recipient, "") for row in rows}
        for row in rows:
            row.attempts = attempt
            if row.recipient in sent_ids:
                row.status = EmailDelivery.Status.SENT
                row.notify_id = sent_ids[row.recipient]
                row.sent_at = now
                row.error = ""
                row.attachments = []
            else:
                for name, value in failed.items():
                    setattr(row, name, value)
        EmailDelivery.objects.bulk_update(
            rows,
            [
                "attempts",
                "status",
                "notify_id",
                "sent_at",
                "error",
                "attachments",
                "next_attempt_at",
            ],
        )
    if sent_ids:
        emails_sent.labels(kind=kind, backend=settings.EMAIL_BACKEND.rsplit(".", 1)[-1]).inc(
            len(sent_ids)
        )
    return EmailDeliveryOutcome(sent=len(sent_ids), retry_in=retry_in)


def email_delivery_send_again(*, deliveries) -> int:
    """A system administrator sends failed emails again: queued, their attempts counted afresh."""
    from .models import EmailDelivery

    return deliveries.filter(status=EmailDelivery.Status.FAILED).update(
        status=EmailDelivery.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )


def task_run_again(*, runs) -> int:
    """A system administrator runs failed tasks again: each as a new queued run for the relay."""
    from .models import TaskRun

    again = [
        TaskRun(task=run.task, args=run.args, kwargs=run.kwargs, next_attempt_at=timezone.now())
        for run in runs.filter(status=TaskRun.Status.FAILED)
    ]
    TaskRun.objects.bulk_create(again)
    return len(again)


def email_delivery_apply_retention(*, older_than_days: int) -> int:
    """Delete email deliveries kept as long as the access log, calendar files past their expiry,
    and task runs finished over TASK_RUN_RETENTION_DAYS ago."""
    from django.conf import settings

    from .models import CalendarFile, EmailDelivery, TaskRun

    now = timezone.now()
    CalendarFile.objects.filter(expires_at__lt=now).delete()
    TaskRun.objects.filter(
        finished_at__lt=now - timedelta(days=settings.TASK_RUN_RETENTION_DAYS)
    ).delete()
    deleted, _ = EmailDelivery.objects.filter(at__lt=now - timedelta(days=older_than_days)).delete()
    return deleted
