"""A reschedule says what moved; a person's same-day entries read newest first."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from tests.html import parse, table_rows
from tests.triage.test_views import as_user, held_request, scheduled

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_a_reschedule_says_the_old_and_new_times(triage_world, django_capture_on_commit_callbacks):
    """The request's history and the access log both name the old and the new meeting times."""
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=LONDON), tick=False):
        request = scheduled(triage_world)  # next week at 10am: Monday 11 January 2027
        client = as_user(triage_world["manager"])
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(
                reverse("triage:reschedule", args=[request.pk]),
                {
                    "meeting_date_0": "14",
                    "meeting_date_1": "1",
                    "meeting_date_2": "2027",
                    "meeting_time": "2pm",
                    "duration_minutes": "45",
                    "reason": "The practitioner is on leave",
                    "version": request.updated_at.isoformat(),
                },
            )
        assert response.status_code == 302
        page = client.get(reverse("triage:detail", args=[request.pk]))
    newest = table_rows(page, "Changes to this request")[0]
    assert newest[2] == (
        "Meeting moved from Monday 11 January 2027 at 10am to Thursday 14 January 2027 at 2pm"
    )
    logged = AccessLogEntry.objects.filter(detail__startswith="Triage meeting rescheduled").get()
    assert logged.detail == (
        "Triage meeting rescheduled. Moved from Monday 11 January 2027, 10am to 10:45am "
        "to Thursday 14 January 2027, 2pm to 2:45pm"
    )


def test_same_day_timeline_entries_read_newest_first(triage_world):
    """Requested at 9am, met at 10am, outcome at 11am, all one day: the outcome is on top."""
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=LONDON), tick=False):
        request = held_request(triage_world)
    meeting = request.meeting
    meeting.starts_at = datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)
    meeting.save(update_fields=["starts_at"])
    from triage.models import TriageRecord

    record = TriageRecord.objects.create(
        request=request,
        guidance="Advice",
        outcome="closed_with_guidance",
        recorded_by=triage_world["manager"],
    )
    TriageRecord.objects.filter(pk=record.pk).update(
        recorded_at=datetime(2027, 1, 4, 11, 0, tzinfo=LONDON)
    )
    page = as_user(triage_world["manager"]).get(reverse("people:person", args=["A000001"]))
    titles = [t.get_text(strip=True) for t in parse(page).select(".moj-timeline__title")]
    triage_titles = [t for t in titles if t.startswith("Triage")]
    assert triage_titles == [
        "Triage outcome: closed with guidance",
        "Triage meeting",
        "Triage requested",
    ]
