"""A session booked at short notice says when its papers really go out, never a past day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from panel.selectors import papers_release_date
from tests.html import parse
from tests.panel_fixtures import a_session
from tests.triage.test_views import as_user

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _said(client, session) -> str:
    text = " ".join(
        parse(client.get(reverse("panel:session", args=[session.pk]))).get_text().split()
    )
    return text.split("Papers are released to invitees on ", 1)[1].split(".")[0]


def test_a_session_in_two_days_says_its_papers_go_out_at_the_next_release_run(panel_world):
    """Wednesday 9am, a session on Friday: not '...released on Tuesday', but Thursday's 7am run."""
    with time_machine.travel(datetime(2027, 1, 6, 9, 0, tzinfo=LONDON), tick=False):
        session = a_session(panel_world, starts_at=datetime(2027, 1, 8, 10, 0, tzinfo=LONDON))
        assert _said(as_user(panel_world["admin"]), session) == "Thursday 7 January 2027"


def test_before_the_morning_run_it_is_today(panel_world):
    with time_machine.travel(datetime(2027, 1, 6, 6, 30, tzinfo=LONDON), tick=False):
        session = a_session(panel_world, starts_at=datetime(2027, 1, 8, 10, 0, tzinfo=LONDON))
        assert papers_release_date(session).isoformat() == "2027-01-06"


def test_a_session_weeks_away_keeps_its_working_day_count(panel_world, settings):
    settings.PANEL_PAPERS_WORKING_DAYS = 3
    with time_machine.travel(datetime(2027, 1, 6, 9, 0, tzinfo=LONDON), tick=False):
        session = a_session(panel_world, starts_at=datetime(2027, 1, 29, 10, 0, tzinfo=LONDON))
        assert papers_release_date(session) == (session.starts_at - timedelta(days=3)).date()
