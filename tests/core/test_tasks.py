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


@pytest.fixture
def mail_worker(transactional_db, tmp_path):
    with celery_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    ) as queue:
        yield queue, tmp_path


@pytest.mark.celery
def test_an_outbox_email_is_sent_through_a_real_worker_with_its_attachment(mail_worker):
    from django.db import transaction

    from complexcases.core.email import email_queue
    from complexcases.core.models import EmailDelivery
    from complexcases.core.tasks import deliver_email

    queue, mail_dir = mail_worker
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    with transaction.atomic():
        email_queue(
            subject="Complex Cases triage meeting",
            body="You are invited.",
            to=["someone@example.com"],
            record_type="triage meeting",
            attachments=[("invite.ics", ics, "text/calendar; method=REQUEST")],
            template="work-passed-on",
            personalisation={},
        )
    [delivery] = EmailDelivery.objects.all()
    result = deliver_email.apply_async(
        kwargs={"email_id": delivery.email_id}, queue=queue, ignore_result=False
    )
    assert result.get(timeout=60) == 1
    [message] = [path.read_text() for path in mail_dir.iterdir()]
    assert "To: someone@example.com" in message
    assert "Subject: Complex Cases triage meeting" in message
    assert 'filename="invite.ics"' in message
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.attachments) == ("sent", 1, [])


@pytest.mark.celery
def test_retention_task_runs_in_a_real_worker(worker_queue, settings):
    from complexcases.core.access_log import access_log_record
    from complexcases.core.models import AccessLogEntry
    from complexcases.core.tasks import apply_access_log_retention

    access_log_record(user=None, action="consultation", record_type="person")
    assert (
        apply_access_log_retention.apply_async(queue=worker_queue, ignore_result=False).get(
            timeout=60
        )
        == 0
    )
    assert AccessLogEntry.objects.count() == 1
    assert (
        settings.CELERY_BEAT_SCHEDULE["access-log-retention"]["task"]
        == apply_access_log_retention.name
    )
