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
