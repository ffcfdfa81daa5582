"""Writes that belong to the service as a whole."""

from django.db import transaction
from django.utils import timezone

from .models import WorkerHeartbeat


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


def email_delivery_record(
    *,
    task_id: str,
    template: str,
    disclosure_id: int | None,
    recipient: str,
    status: str,
    notify_id: str = "",
    error: str = "",
):
    """Record one recipient's send (or refusal), beside the email's access-log disclosure row."""
    from .models import EmailDelivery

    return EmailDelivery.objects.create(
        task_id=task_id,
        template=template,
        disclosure_id=disclosure_id,
        recipient=recipient,
        status=status,
        notify_id=notify_id,
        error=error,
    )


def email_delivery_apply_retention(*, older_than_days: int) -> int:
    """Delete email deliveries kept as long as the access log, and calendar files past their expiry."""
    from datetime import timedelta

    from .models import CalendarFile, EmailDelivery

    now = timezone.now()
    CalendarFile.objects.filter(expires_at__lt=now).delete()
    deleted, _ = EmailDelivery.objects.filter(at__lt=now - timedelta(days=older_than_days)).delete()
    return deleted
