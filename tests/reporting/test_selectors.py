"""Each figure on the known data set (tests/reporting/builders.py), counted by hand, and the
number of queries staying the same as the data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complexcases.reporting.periods import Period
from complexcases.reporting.scope import reporting_scope_for, scope_choose
from complexcases.reporting.selectors import dashboard_figures

from .builders import TODAY, grow

pytestmark = pytest.mark.django_db

LAST_3_MONTHS = Period.of("3", today=TODAY)


def board_for(user, *, region="", pdu="", period=LAST_3_MONTHS):
    scope = scope_choose(reporting_scope_for(user), region_code=region, pdu_code=pdu)
    return dashboard_figures(scope=scope, period=period, today=TODAY)


def values(board, slug) -> dict[str, tuple]:
    figure = board.figure(slug)
    assert figure is not None, slug
    return {row.label: row.values for row in figure.rows}


def headlines(board) -> dict[str, object]:
    return {number.label: number.value for number in board.headlines}


def test_the_period_is_july_to_september_2026():
    assert LAST_3_MONTHS.label == "July 2026 to September 2026"


def test_headline_figures_for_every_region(world, programme_manager):
    """Listed in September: N1, N2, N3, N4, C1, L1 (N5 is no longer listed); new: N1, N4, C1;
    conversations for N1 and N3. Requests July to September: six (one in May is outside).
    Heard: two. Open actions: two, one past its due date. Follow-ups due: three (one cancelled)."""
    board = board_for(programme_manager)
    assert headlines(board) == {
        "People listed": 6,
        "New to the list": 3,
        "Reflective conversations": 2,
        "Triage requests": 6,
        "Cases heard at panel": 2,
        "Open actions": 2,
        "Overdue actions": 1,
        "Follow-ups due": 3,
    }
    assert board.headlines[2].detail == "33% of people listed in September 2026"
    assert board.headlines[7].detail == "July 2026 to September 2026: 1 done, 1 overdue"


def test_people_listed_by_month_and_per_pdu(world, programme_manager):
    board = board_for(programme_manager)
    assert values(board, "people-listed-by-month") == {
        "July 2026": (0, 0),
        "August 2026": (3, 3),
        "September 2026": (6, 3),
    }
    assert values(board, "people-listed-per-pdu") == {
        "Cambridgeshire and Peterborough": (0, 0, 1),
        "North London": (0, 0, 1),
        "Northamptonshire": (0, 3, 4),
    }


def test_requests_and_median_days_by_month(world, programme_manager):
    """July: 7 and 1 days to triage (median 4). August: 3 and 10 (6.5; the second is held,
    awaiting an outcome). September: 2 days; the other request has no meeting yet.
    To panel: 14 days in July, 4 in September, none heard in August."""
    board = board_for(programme_manager)
    assert values(board, "triage-requests-by-month") == {
        "July 2026": (2, 0),
        "August 2026": (2, 0),
        "September 2026": (2, 1),
    }
    assert values(board, "days-to-triage") == {
        "July 2026": (4.0, 2),
        "August 2026": (6.5, 2),
        "September 2026": (2.0, 1),
    }
    assert values(board, "days-to-panel") == {
        "July 2026": (14.0, 1),
        "August 2026": (None, 0),
        "September 2026": (4.0, 1),
    }


def test_criteria_met_and_how_many(world, programme_manager):
    board = board_for(programme_manager)
    criteria = {
        label.split(".")[0]: counts[0] for label, counts in values(board, "criteria-met").items()
    }
    assert criteria == {"1": 5, "2": 6, "3": 6, "4": 4, "5": 6, "6": 6, "7": 4, "8": 2}
    assert values(board, "number-of-criteria-met") == {
        "6 of 8": (4,),
        "7 of 8": (1,),
        "8 of 8": (1,),
    }


def test_triage_outcomes_themes_and_below_threshold(world, programme_manager):
    board = board_for(programme_manager)
    assert values(board, "triage-outcomes") == {
        "Closed with guidance": (1,),
        "Refer to panel": (2,),
        "Redirected: MAPPA": (1,),
        "Redirected: OPD consultation": (0,),
        "Redirected: Other": (0,),
    }
    themes = {
        label: counts for label, counts in values(board, "blocker-themes").items() if any(counts)
    }
    assert themes == {
        "Mental health": (1, 0),
        "Housing or approved premises": (2, 0),
        "Violence or hostility towards staff": (1, 0),
        "Gender identity": (1, 1),
    }
    assert values(board, "below-threshold") == {
        "Marked for the pathway below the threshold": (1,),
        "Marked for the pathway, meeting 3 of 8 criteria": (1,),
        "Triage requests for people not on the list": (1,),
    }


def test_actions_on_time_attendance_follow_ups_and_early_outcomes(world, programme_manager):
    """Due by today in the period: two done on time, one late, one not done (the one no longer
    needed and the one due on 30 September are left out)."""
    board = board_for(programme_manager)
    assert values(board, "actions-on-time") == {
        "Done on time": (2, 50.0, 4),
        "Done late": (1, 25.0, 4),
        "Not done yet": (1, 25.0, 4),
    }
    assert values(board, "panel-attendance") == {
        "Chair (head of operations)": (2, 0, 0, 0),
        "Head of PDU": (1, 1, 0, 0),
        "QDO representative": (1, 0, 1, 0),
        "Case administrator": (1, 0, 1, 0),
    }
    assert values(board, "follow-ups") == {
        "Due": (3,),
        "Done": (1,),
        "Not done yet": (2,),
        "Not done yet and past their due date": (1,),
    }
    early = {label: n for label, n in values(board, "early-outcomes").items() if n[0]}
    assert early == {
        "Approved premises place secured": (1,),
        "Mental health support in place": (1,),
    }


def test_joint_case_work_contacts_activity_types_and_feedback(world, programme_manager):
    board = board_for(programme_manager)
    assert values(board, "jcw-contacts") == {
        "Direct joint case work": (1,),
        "Indirect joint case work": (1,),
        "Case consultation": (1,),
    }
    activities = {k: v for k, v in values(board, "jcw-activity-types").items() if any(v)}
    assert activities == {
        "Creating a psychologically-informed formulation": (1, 0),
        "Writing a letter": (1, 0),  # the June letter is before the period
        "Case review": (0, 1),
    }
    feedback = values(board, "jcw-feedback")
    assert feedback["Clear understanding of what joint case work is"] == (3.0, 2, 0, 1, 0, 1, 0)
    assert feedback["Positive impact on risk management"] == (5.0, 2, 0, 0, 0, 0, 2)
    assert feedback["Confidence working with the person, before"][:2] == (2.5, 2)


def test_a_head_of_pdu_sees_their_pdu(world, head_of_northants):
    board = board_for(head_of_northants)
    assert board.scope.area == "Northamptonshire"
    got = headlines(board)
    assert (got["People listed"], got["New to the list"], got["Reflective conversations"]) == (
        4,
        2,
        2,
    )
    assert got["Triage requests"] == 4  # not Cambridgeshire's or London's
    assert board.headlines[2].detail == "50% of people listed in September 2026"
    assert list(values(board, "people-listed-per-pdu")) == ["Northamptonshire"]


def test_a_regional_head_sees_their_region_and_can_narrow_it(world, regional_head):
    board = board_for(regional_head)
    assert board.scope.area == "East of England"
    assert headlines(board)["People listed"] == 5  # not London's
    assert headlines(board)["Triage requests"] == 5
    assert headlines(board_for(regional_head, pdu="CAMBS"))["People listed"] == 1


def test_practitioners_see_their_own_team(world):
    """Team A holds N1, N2, N3 and N6; team B holds N4."""
    team_a = board_for(world.users["pa"])
    assert team_a.scope.area == "your team (Northampton North)"
    assert headlines(team_a)["People listed"] == 3
    assert headlines(team_a)["Triage requests"] == 3
    assert headlines(team_a)["Cases heard at panel"] == 2
    team_b = board_for(world.users["pb"])
    assert headlines(team_b)["People listed"] == 1
    assert headlines(team_b)["Triage requests"] == 1
    assert headlines(team_b)["Cases heard at panel"] == 0


def test_a_month_with_no_one_listed_says_so(world, programme_manager):
    board = board_for(programme_manager, period=Period.ending(TODAY.replace(month=6), 1))
    assert headlines(board)["People listed"] == 0
    assert board.headlines[2].detail == "no one listed in June 2026"


def test_the_figures_take_the_same_number_of_queries_however_much_data(
    world, programme_manager, django_assert_max_num_queries
):
    """Every figure is computed in the database: growing the data adds no queries."""
    user = programme_manager
    board_for(user)  # warm: permissions and groups are cached on the user
    with CaptureQueriesContext(connection) as small:
        board_for(user)
    grow(world, times=4)
    with django_assert_max_num_queries(len(small)):
        bigger = board_for(user)
    assert headlines(bigger)["People listed"] == 10
    assert headlines(bigger)["Cases heard at panel"] == 6
    assert len(small) <= 21  # two of them for the cases (ADR 0042)


def test_team_figures_take_the_same_number_of_queries_however_much_data(
    world, django_assert_max_num_queries
):
    user = world.users["pa"]
    board_for(user)
    with CaptureQueriesContext(connection) as small:
        board_for(user)
    grow(world, times=4)
    with django_assert_max_num_queries(len(small)):
        board_for(user)
