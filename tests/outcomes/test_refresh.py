"""Every trajectory figure, worked out by hand from the table in builders.py.

Follow-up extracts (the first dated at least N months after the hearing):
1 month: H1, H2, H4, H5 → 1 March; H3, H6 → 1 April.
3 months: H1, H2, H4, H5 → 1 May; H3, H6 → 1 June (H3 is no longer in the extract).
6 months: H1, H2, H4, H5 → 1 August; H3, H6: no extract yet. 12 months: nobody yet.
"""

import pytest

from complexcases.outcomes.models import OutcomeFigure, OutcomesRefresh
from complexcases.outcomes.services import outcomes_refresh

pytestmark = pytest.mark.django_db

approx = pytest.approx


def figure(measure: str, horizon: int, **area) -> OutcomeFigure:
    area = area or {"area": "national"}
    return OutcomeFigure.objects.get(measure=measure, horizon=horizon, theme=None, **area)


def test_the_cases_heard_and_why_some_have_no_match(refreshed):
    counts = {
        f.measure: f.heard_count
        for f in OutcomeFigure.objects.filter(area="national", theme=None, horizon=0)
    }
    assert counts["heard"] == 6
    assert counts["matched"] == 3  # H1, H2 (C1, C2, C3) and H3 (C6, C7)
    assert counts["unmatched_not_in_extract"] == 1  # H6
    assert counts["unmatched_below_threshold"] == 1  # H5
    assert counts["unmatched_no_one_alike"] == 1  # H4: London has no one with six criteria
    assert counts["comparison_people"] == 3 + 3 + 2
    assert OutcomesRefresh.objects.get().heard_cases == 6


def test_all_heard_cases_one_month_after(refreshed):
    """H1 5 criteria (not listed), H2 6, H3 7, H4 6, H5 4 (not listed), H6 6."""
    listed = figure("listed", 1)
    assert (listed.cases, listed.heard_base, listed.heard_count) == (6, 6, 4)
    assert listed.heard_value == approx(100 * 4 / 6)
    assert figure("in_extract", 1).heard_value == 100
    assert figure("criteria_count", 1).heard_value == approx(34 / 6)
    assert figure("rosh_high", 1).heard_count == 5  # H5 is medium
    assert figure("mappa", 1).heard_count == 4  # H1, H3, H4, H6
    assert figure("custody", 1).heard_count == 0  # H2 goes into custody in April
    back = figure("back_in_custody", 1)
    assert (back.heard_base, back.heard_count) == (5, 0)  # H6's custody at the hearing is unknown
    assert figure("criterion_7", 1).heard_count == 4  # H2, H3, H4, H5


def test_matched_cases_beside_their_comparison_people_one_month_after(refreshed):
    listed = figure("listed", 1)
    assert (listed.matched, listed.matched_count) == (3, 2)  # H1 is no longer listed
    assert (listed.comparison_people, listed.comparison_count) == (8, 8)
    assert listed.matched_value == approx(200 / 3)
    assert listed.comparison_value == 100
    assert listed.difference == approx(-100 / 3)  # H1 -1, H2 0, H3 0
    count = figure("criteria_count", 1)
    # H1: 5 - (6 + 7 + 6)/3; H2: 6 - 19/3; H3: 7 - (7 + 6)/2 (C7 has dropped criterion 8).
    assert count.matched_value == 6
    assert count.comparison_value == approx((19 / 3 + 19 / 3 + 6.5) / 3)
    assert count.difference == approx((5 - 19 / 3 + 6 - 19 / 3 + 0.5) / 3)
    mappa = figure("mappa", 1)
    assert mappa.difference == approx(100 * (2 / 3 - 1 / 3 + 0) / 3)  # C2 has MAPPA; C6 and C7 too
    custody = figure("custody", 1)
    assert (custody.matched_count, custody.comparison_count) == (0, 2)  # C3, for H1 and for H2
    assert custody.difference == approx(100 * (-1 / 3 - 1 / 3 + 0) / 3)
    back = figure("back_in_custody", 1)
    assert back.difference == approx(100 * (-1 / 3 - 1 / 3 + 0) / 3)


def test_three_months_after_one_heard_person_has_left_the_extract(refreshed):
    in_extract = figure("in_extract", 3)
    assert (in_extract.heard_base, in_extract.heard_count) == (6, 5)  # H3 left in May
    assert in_extract.difference == approx(100 * (0 + 0 - 1) / 3)
    count = figure("criteria_count", 3)
    assert count.heard_base == 5  # only people in the extract
    assert count.matched == 2  # H1 and H2: H3 is not in the extract
    assert count.difference == approx((5 - 19 / 3 + 6 - 19 / 3) / 2)
    custody = figure("custody", 3)
    assert custody.matched_count == 1  # H2, in custody since April
    assert custody.difference == approx(100 * ((0 - 1 / 3) + (1 - 1 / 3)) / 2)
    back = figure("back_in_custody", 3)
    assert (back.heard_base, back.heard_count) == (5, 1)  # H3's custody is known at its hearing


def test_six_months_after_and_nothing_yet_at_twelve(refreshed):
    listed = figure("listed", 6)
    assert (listed.cases, listed.heard_base, listed.heard_count) == (4, 4, 2)  # H2, H4
    assert listed.matched == 2
    assert not OutcomeFigure.objects.filter(horizon=12).exists()
    assert (
        not OutcomeFigure.objects.filter(horizon=6, area="pdu", pdu__code="PDUL")
        .exclude(measure__startswith="criterion")
        .filter(matched__gt=0)
        .exists()
    )


def test_areas_count_a_case_under_its_pdu_and_region_at_the_hearing(refreshed, world):
    alpha = {
        f.measure: f.heard_count
        for f in OutcomeFigure.objects.filter(area="pdu", pdu=world.pdus["A"], horizon=0)
    }
    assert alpha["heard"] == 3  # H1, H3, H5
    east = {
        f.measure: f.heard_count
        for f in OutcomeFigure.objects.filter(
            area="region", region=world.pdus["A"].region, theme=None, horizon=0
        )
    }
    assert east["heard"] == 5
    assert east["matched"] == 3
    london = figure("listed", 1, area="region", region=world.pdus["L"].region)
    assert (london.heard_base, london.matched) == (1, 0)


def test_by_theme_a_case_counts_under_each_of_its_themes(refreshed):
    themes = {
        f.theme.name: f.heard_count
        for f in OutcomeFigure.objects.filter(
            area="national", theme__isnull=False, horizon=0, measure="heard"
        )
    }
    assert themes == {"Mental health": 5, "Housing or approved premises": 2}
    assert not OutcomeFigure.objects.filter(area="pdu", theme__isnull=False).exists()


def test_follow_up_early_outcomes_and_actions_on_time(refreshed):
    counts = {
        f.measure: (f.heard_count, f.heard_base)
        for f in OutcomeFigure.objects.filter(area="national", theme=None, horizon=0)
    }
    assert counts["followed_up"] == (1, 6)  # H2's check-in is not done
    early = [value for key, value in counts.items() if key.startswith("early_outcome_")]
    assert early == [(1, 1), (1, 1)]
    # Due by 15 August, not counting the one no longer needed: on time, late, not done yet.
    assert counts["actions_due"][0] == 3
    assert counts["actions_on_time"] == (1, 3)
    assert counts["actions_late"] == (1, 3)
    assert counts["actions_not_done"] == (1, 3)


def test_no_interval_is_worked_out_for_a_difference_that_would_be_hidden(refreshed):
    """Three matched cases: every difference rests on fewer than 5, so none has an interval."""
    assert not OutcomeFigure.objects.filter(lower__isnull=False).exists()


def test_a_refresh_replaces_every_figure_and_keeps_one_refresh(refreshed):
    before = OutcomeFigure.objects.count()
    outcomes_refresh()
    assert OutcomeFigure.objects.count() == before
    assert OutcomesRefresh.objects.count() == 1


def test_a_refresh_with_no_extract_and_no_hearing_is_empty(db):
    refresh = outcomes_refresh()
    assert refresh.heard_cases == 0
    assert refresh.latest_extract is None
    assert not OutcomeFigure.objects.exists()
