"""Time runs forwards on the dashboard: the days from request to triage meeting, worked out from
requests made and meetings held through the real services, one recorded after the fact."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complexcases.core.models import AccessLogEntry
from complexcases.reporting.figures import DAYS
from complexcases.reporting.periods import Period
from complexcases.reporting.scope import reporting_scope_for, scope_choose
from complexcases.reporting.selectors import dashboard_figures
from tests.triage_fixtures import a_request
from triage.models import TriageMeeting
from triage.services import triage_mark_held, triage_meeting_schedule

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def on(day: int, hour: int) -> datetime:
    """A time in October 2026, in London."""
    return datetime(2026, 10, day, hour, tzinfo=LONDON)


def meet(world, request, starts_at: datetime) -> TriageMeeting:
    return triage_meeting_schedule(
        request=request,
        starts_at=starts_at,
        duration_minutes=45,
        invitees=[(world["priya"], "Practitioner")],
        external_invitees=[],
        by=world["admin"],
    )


def hold(world, request) -> None:
    triage_mark_held(request=request, attended=[], by=world["manager"])


def board_for(user):
    return dashboard_figures(
        scope=scope_choose(reporting_scope_for(user)),
        period=Period.of("3", today=date(2026, 10, 31)),
        today=date(2026, 10, 31),
    )


def durations(board) -> list[float]:
    """Every figure on the dashboard measured in days."""
    return [
        value
        for figure in board.figures
        for row in figure.rows
        for measure, value in zip(figure.measures, row.values, strict=True)
        if row.unit_of(measure) == DAYS and value is not None
    ]


def days_to_triage(board) -> dict[str, tuple]:
    return {row.label: row.values for row in board.figure("days-to-triage").rows}


def test_every_duration_is_at_least_zero_and_the_median_is_counted_by_hand(triage_world):
    """Adams: requested 1 October, met 6 October (5 days), invited ahead. Brown: requested
    2 October, met by phone on 5 October (3 days), recorded on 9 October. Evans: requested
    5 October, met 20 October (15 days). Median of 3, 5 and 15: 5 days."""
    with time_machine.travel(on(1, 9), tick=False):
        adams = a_request(triage_world, "listed")
        meet(triage_world, adams, on(6, 10))
    with time_machine.travel(on(2, 9), tick=False):
        brown = a_request(triage_world, "unlisted")
    with time_machine.travel(on(5, 9), tick=False):
        evans = a_request(triage_world, "elsewhere", requested_by=triage_world["other"])
        meet(triage_world, evans, on(20, 10))
    with time_machine.travel(on(6, 11), tick=False):
        hold(triage_world, adams)
    with time_machine.travel(on(9, 16), tick=False):
        meet(triage_world, brown, on(5, 14))  # after the fact
        hold(triage_world, brown)
    with time_machine.travel(on(20, 11), tick=False):
        hold(triage_world, evans)
    invited = AccessLogEntry.objects.filter(record_type="triage meeting", action="disclosure")
    assert sorted(invited.values_list("record_id", flat=True)) == sorted(
        [str(adams.pk), str(evans.pk)]
    )  # no invitation for the meeting recorded after it happened

    board = board_for(triage_world["manager"])
    assert durations(board)
    assert min(durations(board)) >= 0
    assert days_to_triage(board)["October 2026"] == (5.0, 3)


def test_meetings_dated_before_their_requests_count_as_the_same_day(triage_world):
    """Rows from before the rule (like the old demo's): requested 3 October, Adams's meeting
    dated 1 October and Brown's 2 October count as 0 days, not -2 and -1; with Evans's 4 days
    the median is 0, not -1."""
    with time_machine.travel(on(3, 9), tick=False):
        requests = [
            a_request(triage_world, "listed"),
            a_request(triage_world, "unlisted"),
            a_request(triage_world, "elsewhere", requested_by=triage_world["other"]),
        ]
        for request in requests:
            meet(triage_world, request, on(7, 10))
    with time_machine.travel(on(8, 9), tick=False):
        for request in requests:
            hold(triage_world, request)
    adams, brown, _evans = requests
    TriageMeeting.objects.filter(request=adams).update(starts_at=on(1, 10))
    TriageMeeting.objects.filter(request=brown).update(starts_at=on(2, 10))

    board = board_for(triage_world["manager"])
    assert min(durations(board)) >= 0
    assert days_to_triage(board)["October 2026"] == (0.0, 3)
