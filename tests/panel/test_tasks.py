"""Each panel task through a real Celery worker process and the real Redis broker."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from panel.models import PanelPattern, PanelSession
from panel.services import panel_booking_create
from panel.tasks import generate_panel_sessions, release_panel_papers
from tests.panel_fixtures import a_session
from tests.workers import celery_worker

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue(transactional_db, tmp_path):
    with celery_worker(
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    ) as queue:
        yield queue


def test_the_worker_makes_each_recurring_panels_sessions_once(worker_queue, panel_world):
    PanelPattern.objects.create(
        region=panel_world["listed"].pdu.region,
        week=PanelPattern.Week.FIRST,
        weekday=PanelPattern.Weekday.MONDAY,
        start_time=time(10, 0),
        months_ahead=2,
        created_by=panel_world["admin"],
    )
    first = generate_panel_sessions.apply_async(queue=worker_queue, ignore_result=False).get(
        timeout=60
    )
    again = generate_panel_sessions.apply_async(queue=worker_queue, ignore_result=False).get(
        timeout=60
    )
    made = PanelSession.objects.filter(pattern__isnull=False)
    assert first == made.count() >= 2
    assert again == 0
    assert {session.slots.count() for session in made} == {4}


def test_the_worker_releases_papers_within_three_working_days(worker_queue, panel_world):
    soon = a_session(panel_world, starts_at=timezone.now() + timedelta(hours=30))
    panel_booking_create(
        slot=soon.slots.first(), triage_record=panel_world["record"], by=panel_world["admin"]
    )
    later = panel_world["session"]  # two weeks away
    released = release_panel_papers.apply_async(queue=worker_queue, ignore_result=False).get(
        timeout=60
    )
    assert released == 1
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.papers_released_at is not None
    assert later.papers_released_at is None


def test_beat_runs_both_panel_tasks_every_morning(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["panel-sessions"]["task"] == generate_panel_sessions.name
    assert schedule["panel-papers"]["task"] == release_panel_papers.name
    assert schedule["panel-papers"]["schedule"].hour == {7}
