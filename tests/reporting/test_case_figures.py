"""Counted by case (ADR 0042): cases opened, triaged, heard and closed by outcome, and the days in
each stage from the case's status history, worked out by hand for October 2026.

The cases are opened and moved by the cases services with the clock set, so their history rows
are the ones the service writes.
"""

import csv
import io
from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from complexcases.cases.models import Case
from complexcases.cases.services import case_move, case_open
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.reporting.figures import DAYS
from complexcases.reporting.periods import Period
from complexcases.reporting.scope import reporting_scope_for, scope_choose
from complexcases.reporting.selectors import case_figures, dashboard_figures
from tests.auth import sign_in_verified
from tests.factories import ProbationDeliveryUnitFactory, RegionFactory, UserFactory
from tests.html import parse, table_rows

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
OCTOBER = Period.ending(date(2026, 10, 1), 1, key="month")
S, Reason = Case.Status, Case.ClosedReason
_crn = count(1)


def on(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LONDON)


def a_person(practitioner) -> Person:
    return Person.objects.create(
        crn=f"Q{next(_crn):06d}",
        surname="Example",
        forenames="Test",
        date_of_birth=date(1980, 1, 1),
        pdu=practitioner.pdu,
        practitioner=practitioner,
        custody_status="community",
        as_at=date(2026, 9, 1),
    )


def journey(by, opened: datetime, *moves) -> Case:
    """A case for one of `by`'s caseload opened at `opened`, then moved by them at each (time,
    status[, closed reason])."""
    with time_machine.travel(opened, tick=False), transaction.atomic():
        case = case_open(person=a_person(by), by=by, opened_at=opened)
    for when, status, *reason in moves:
        with time_machine.travel(when, tick=False), transaction.atomic():
            if status is None:  # a save that changes nothing: a second row, the same status
                Case.objects.get(pk=case.pk).save()
            else:
                case_move(case, status, by=by, closed_reason=reason[0] if reason else "")
    return case


@pytest.fixture
def cases(db):
    """Five cases in Northamptonshire and one in Cambridgeshire.

    1: opened 1 Oct, scheduled 3rd, held 6th, waiting 8th, booked 10th, heard 20th 10:00,
       in follow-up 20th 15:00, closed on the pathway 30th.
    2: opened 2 Oct, scheduled 7th, saved again 8th, held 9th 10:00, closed with guidance 9th 16:00.
    3: opened 5 Oct, withdrawn 6th.
    4: opened 10 Oct, scheduled 11th, still scheduled (not timed).
    5: opened 20 Sep (before the period), scheduled 25 Sep, held 2 Oct 10:00, redirected 2 Oct 16:00.
    6 (Cambridgeshire): opened 1 Oct, scheduled 15th, held 16th, waiting 31st.
    """
    region = RegionFactory(code="EOE", name="East of England")
    northants = ProbationDeliveryUnitFactory(
        code="NORTHANTS", name="Northamptonshire", region=region
    )
    cambs = ProbationDeliveryUnitFactory(code="CAMBS", name="Cambridgeshire", region=region)
    team = UserFactory(pdu=northants, roles=[Role.PROBATION_PRACTITIONER])
    elsewhere = UserFactory(pdu=cambs, roles=[Role.PROBATION_PRACTITIONER])
    journey(team, on(10, 1), (on(10, 3), S.TRIAGE_SCHEDULED), (on(10, 6), S.TRIAGE_HELD),
            (on(10, 8), S.AWAITING_PANEL), (on(10, 10), S.BOOKED), (on(10, 20), S.HEARD),
            (on(10, 20, 15), S.IN_FOLLOW_UP), (on(10, 30), S.CLOSED, Reason.PATHWAY_CLOSED))  # fmt: skip
    journey(team, on(10, 2), (on(10, 7), S.TRIAGE_SCHEDULED), (on(10, 8), None),
            (on(10, 9), S.TRIAGE_HELD), (on(10, 9, 16), S.CLOSED, Reason.GUIDANCE))  # fmt: skip
    journey(team, on(10, 5), (on(10, 6), S.CLOSED, Reason.WITHDRAWN))
    journey(team, on(10, 10), (on(10, 11), S.TRIAGE_SCHEDULED))
    journey(team, on(9, 20), (on(9, 25), S.TRIAGE_SCHEDULED), (on(10, 2), S.TRIAGE_HELD),
            (on(10, 2, 16), S.CLOSED, Reason.REDIRECTED))  # fmt: skip
    journey(elsewhere, on(10, 1), (on(10, 15), S.TRIAGE_SCHEDULED), (on(10, 16), S.TRIAGE_HELD),
            (on(10, 31), S.AWAITING_PANEL))  # fmt: skip
    return {
        "national": UserFactory(pdu=None, roles=[Role.PROGRAMME_MANAGER]),
        "head_of_northants": UserFactory(pdu=northants, roles=[Role.HEAD_OF_SERVICE]),
        "practitioner": team,
    }


def figures_for(user, period=OCTOBER):
    board = dashboard_figures(
        scope=scope_choose(reporting_scope_for(user)), period=period, today=date(2026, 11, 1)
    )
    return {figure.slug: {row.label: row.values for row in figure.rows} for figure in board.cases}


def test_cases_are_counted_once_by_what_happened_to_them_in_the_period(cases):
    """Opened in October: 1 to 4 (5 opened in September). Triaged (left "triage held"): 1, 2
    and 5. Heard: 1. Closed: one each on the pathway, with guidance, withdrawn, redirected."""
    assert figures_for(cases["head_of_northants"])["cases"] == {
        "Opened": (4,),
        "Triaged": (3,),
        "Heard at panel": (1,),
        "Closed: Closed with guidance at triage": (1,),
        "Closed: Redirected at triage": (1,),
        "Closed: Request withdrawn": (1,),
        "Closed: Triage cancelled": (0,),
        "Closed: Closed on the pathway after panel": (1,),
    }


def test_days_in_each_stage_are_the_median_and_90th_percentile_of_stays_that_ended(cases):
    """Triage requested: 2 (1), 5 (2), 1 (3), 1 (4) days; median 1.5, 90th percentile
    2 + 0.7 x (5 - 2) = 4.1. Scheduled: 3 (1), 2 (2: saved again on the 8th, still one stay),
    7 (5, from September); 4's stay still running is left out; median 3, 90th 3 + 0.8 x 4 = 6.2.
    Held: 2, 0, 0; median 0, 90th 0.8 x 2 = 1.6. Then case 1 alone: waiting 2, booked 10, heard
    0 (the same day), in follow-up 10."""
    stages = figures_for(cases["head_of_northants"])["days-in-each-stage"]
    assert stages == {
        "Triage requested": (4, 1.5, pytest.approx(4.1)),
        "Triage scheduled": (3, 3.0, pytest.approx(6.2)),
        "Triage held, outcome to record": (3, 0.0, pytest.approx(1.6)),
        "Waiting for a panel slot": (1, 2.0, 2.0),
        "Booked into a panel": (1, 10.0, 10.0),
        "Heard at panel": (1, 0.0, 0.0),
        "In follow-up": (1, 10.0, 10.0),
    }
    assert min(v for _cases, *days in stages.values() for v in days if v is not None) >= 0


def test_other_pdus_cases_are_not_counted(cases):
    """Nationally case 6 (Cambridgeshire) is counted too: opened in October, 14 days requested,
    1 day scheduled, 15 days held (0, 0, 2, 15: median 1, 90th
    percentile 2 + 0.7 x 13 = 11.1), triaged on the 31st."""
    national = figures_for(cases["national"])
    assert national["cases"]["Opened"] == (5,)
    assert national["cases"]["Triaged"] == (4,)
    assert national["days-in-each-stage"]["Triage held, outcome to record"] == (
        4, 1.0, pytest.approx(11.1)
    )  # fmt: skip
    northants = figures_for(cases["head_of_northants"])
    assert northants["cases"]["Opened"] == (4,)


def test_a_case_in_a_stage_twice_counts_once_and_each_stay_is_timed(cases):
    """December: waiting 4th to 6th (2 days), booked to the 8th (2), the booking cancelled,
    waiting to the 12th (4), booked to the 22nd (10). Waiting: median 3, 90th percentile
    2 + 0.9 x 2 = 3.8; booked: median 6, 90th 2 + 0.9 x 8 = 9.2."""
    journey(cases["practitioner"], on(12, 1), (on(12, 2), S.TRIAGE_SCHEDULED),
            (on(12, 3), S.TRIAGE_HELD), (on(12, 4), S.AWAITING_PANEL), (on(12, 6), S.BOOKED),
            (on(12, 8), S.AWAITING_PANEL), (on(12, 12), S.BOOKED), (on(12, 22), S.HEARD))  # fmt: skip
    stages = figures_for(cases["national"], period=Period.ending(date(2026, 12, 1), 1))[
        "days-in-each-stage"
    ]
    assert stages["Waiting for a panel slot"] == (1, 3.0, pytest.approx(3.8))
    assert stages["Booked into a panel"] == (1, 6.0, pytest.approx(9.2))
    assert stages["Heard at panel"] == (0, None, None)  # still heard


def test_a_stay_ending_after_the_period_is_not_timed_in_it(cases):
    """In September only case 5 had anything happen: opened on the 20th, scheduled on the 25th
    (5 days requested); its scheduled stay ended in October, so it is not timed."""
    figures = figures_for(cases["national"], period=Period.ending(date(2026, 9, 1), 1))
    assert figures["cases"]["Opened"] == (1,)
    assert figures["days-in-each-stage"]["Triage requested"] == (1, 5.0, 5.0)
    assert figures["days-in-each-stage"]["Triage scheduled"] == (0, None, None)


def test_a_period_with_no_cases_says_nothing_was_counted(cases):
    figures = figures_for(cases["national"], period=Period.ending(date(2026, 6, 1), 1))
    assert set(figures["cases"].values()) == {(0,)}
    assert set(figures["days-in-each-stage"].values()) == {(0, None, None)}


def test_the_case_figures_take_two_queries_however_many_cases(cases, django_assert_num_queries):
    scope = scope_choose(reporting_scope_for(cases["head_of_northants"]))
    with django_assert_num_queries(2):
        case_figures(scope=scope, period=OCTOBER)
    for day in range(12, 20):
        journey(cases["practitioner"], on(10, day), (on(10, day + 1), S.TRIAGE_SCHEDULED))
    with django_assert_num_queries(2):
        figures = case_figures(scope=scope, period=OCTOBER)
    assert figures[0].rows[0].values == (12,)
    assert all(m.unit == DAYS for m in figures[1].measures[1:])


def test_a_practitioner_sees_their_own_caseloads_cases(cases):
    """A practitioner without a team sees their caseload: the five Northamptonshire cases."""
    figures = figures_for(cases["practitioner"])
    assert figures["cases"]["Opened"] == (4,)
    assert figures["days-in-each-stage"]["Booked into a panel"] == (1, 10.0, 10.0)


# The pages ----------------------------------------------------------------------------------

NOVEMBER = datetime(2026, 11, 15, 12, tzinfo=LONDON)
OCTOBER_ONLY = "period=custom&from_month=10&from_year=2026&to_month=10&to_year=2026"


def test_the_dashboard_has_a_cases_section(cases):
    with time_machine.travel(NOVEMBER, tick=False):
        client = sign_in_verified(Client(), cases["head_of_northants"])
        response = client.get(f"{reverse('reporting:dashboard')}?{OCTOBER_ONLY}")
    assert response.status_code == 200
    assert parse(response).select_one("#cases-heading").get_text(strip=True) == "Cases"
    assert table_rows(response, "Cases, October 2026")[:4] == [
        ["Opened", "4"],
        ["Triaged", "3"],
        ["Heard at panel", "1"],
        ["Closed: Closed with guidance at triage", "1"],
    ]
    assert table_rows(response, "Days in each stage, October 2026")[0] == [
        "Triage requested",
        "4",
        "1.5 days",
        "4.1 days",
    ]


def test_the_monthly_report_and_its_csv_count_cases(cases):
    query = "region=EOE&month=2026-10"
    with time_machine.travel(NOVEMBER, tick=False):
        client = sign_in_verified(Client(), cases["head_of_northants"])
        response = client.get(f"{reverse('reporting:monthly-report')}?{query}")
        download = client.get(f"{reverse('reporting:monthly-report-csv')}?{query}")
    assert table_rows(response, "Days in each stage, October 2026")[1] == [
        "Triage scheduled",
        "3",
        "3 days",
        "6.2 days",
    ]
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    stages = {
        (row["Category"], row["Measure"]): row["Value"]
        for row in rows
        if row["Figure"] == "Days in each stage"
    }
    assert stages[("Triage held, outcome to record", "90th percentile days")] == "1.6"
    assert {row["Value"] for row in rows if row["Figure"] == "Cases"} >= {"4", "3", "1"}
