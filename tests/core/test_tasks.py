"""Celery paths through a real worker process and the real Redis broker."""

import pytest

from complexcases.core.models import WorkerHeartbeat
from complexcases.core.tasks import record_worker_heartbeat
from tests.workers import celery_worker


@pytest.fixture
def worker_queue(transactional_db):
    with celery_worker() as queue:
        yield queue


@pytest.mark.celery
def test_heartbeat_task_runs_in_a_real_worker_and_lands_in_the_database(worker_queue):
    result = record_worker_heartbeat.apply_async(queue=worker_queue)
    beat_at = result.get(timeout=60)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.worker.startswith(f"{worker_queue}@")
    assert heartbeat.beat_at.isoformat() == beat_at


@pytest.mark.django_db
def test_heartbeat_service_keeps_one_row_per_worker():
    from complexcases.core.services import worker_heartbeat_record

    first = worker_heartbeat_record(worker="w1@host")
    second = worker_heartbeat_record(worker="w1@host")
    worker_heartbeat_record(worker="w2@host")
    assert WorkerHeartbeat.objects.count() == 2
    assert second.beat_at >= first.beat_at


def test_beat_schedules_the_heartbeat_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == record_worker_heartbeat.name
    assert entry["schedule"].minute == set(range(60))
