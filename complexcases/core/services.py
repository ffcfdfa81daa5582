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
