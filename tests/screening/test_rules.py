"""The eight criteria at their boundaries, as DOMAIN.md states them (rule version 1)."""

import pytest

from complexcases.screening.rules import CRITERIA, SOURCE_COLUMNS, criteria_met, explain

NONE_MET = {
    "rosh_level": "medium",
    "reg_mental_health_issues": False,
    "reg_mentally_disordered_offender": False,
    "oasys_10_psychological_problems": False,
    "oasys_10_psychiatric_problems": False,
    "reg_suicide_self_harm": False,
    "oasys_10_5_self_harm": False,
    "rosh_r3_self_harm": False,
    "oasys_4_8_learning_difficulties": 0,
    "mappa_level": None,
    "mappa_category": None,
    "opd_screened_in": False,
    "oasys_alcohol_need": False,
    "oasys_drugs_need": False,
    "sentence_type": "SDS",
}


def met(**changes) -> list[int]:
    return criteria_met({**NONE_MET, **changes})


def test_the_baseline_meets_nothing():
    assert met() == []


@pytest.mark.parametrize(
    ("level", "expected"),
    [("", []), ("low", []), ("medium", []), ("high", [1]), ("very_high", [1])],
)
def test_criterion_1_rosh_high_or_very_high(level, expected):
    assert met(rosh_level=level) == expected


@pytest.mark.parametrize(
    "column",
    [
        "reg_mental_health_issues",
        "reg_mentally_disordered_offender",
        "oasys_10_psychological_problems",
        "oasys_10_psychiatric_problems",
    ],
)
def test_criterion_2_any_mental_health_indicator(column):
    assert met(**{column: True}) == [2]


@pytest.mark.parametrize(
    "column", ["reg_suicide_self_harm", "oasys_10_5_self_harm", "rosh_r3_self_harm"]
)
def test_criterion_3_any_self_harm_indicator(column):
    assert met(**{column: True}) == [3]


@pytest.mark.parametrize(("score", "expected"), [(0, []), (1, [4]), (2, [4])])
def test_criterion_4_learning_difficulties_at_1_or_2(score, expected):
    assert met(oasys_4_8_learning_difficulties=score) == expected


@pytest.mark.parametrize(("level", "expected"), [(None, []), (1, []), (2, [5]), (3, [5])])
def test_criterion_5_mappa_level_2_or_3(level, expected):
    assert met(mappa_level=level) == expected


def test_criterion_5_ignores_the_mappa_category():
    assert met(mappa_category=4) == []


def test_criterion_6_opd_screened_in():
    assert met(opd_screened_in=True) == [6]


@pytest.mark.parametrize(
    ("alcohol", "drugs", "expected"),
    [(False, False, []), (True, False, [7]), (False, True, [7]), (True, True, [7])],
)
def test_criterion_7_alcohol_or_drugs(alcohol, drugs, expected):
    assert met(oasys_alcohol_need=alcohol, oasys_drugs_need=drugs) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"), [("IPP", [8]), ("ipp", [8]), ("Life", []), ("EDS", [])]
)
def test_criterion_8_ipp_sentence(sentence, expected):
    assert met(sentence_type=sentence) == expected


def test_all_eight():
    assert met(
        rosh_level="very_high",
        reg_mentally_disordered_offender=True,
        rosh_r3_self_harm=True,
        oasys_4_8_learning_difficulties=2,
        mappa_level=3,
        opd_screened_in=True,
        oasys_drugs_need=True,
        sentence_type="IPP",
    ) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_explain_gives_evidence_for_every_criterion():
    results = explain({**NONE_MET, "rosh_level": "very_high", "mappa_level": 1})
    assert [r.number for r in results] == list(range(1, 9))
    assert results[0].met
    assert results[0].evidence == [("rosh_level", "very high")]
    assert not results[4].met
    assert results[4].evidence == [("mappa_level", "1")]
    assert results[1].evidence[0] == ("reg_mental_health_issues", "no")
    assert results[1].evidence[0].label == "nDelius register: mental health issues"


def test_every_source_column_is_read_by_a_criterion():
    assert set(SOURCE_COLUMNS) == {column for criterion in CRITERIA for column in criterion.sources}
    assert len(CRITERIA) == 8


def test_every_source_column_has_words():
    """Each extract column a criterion reads has a label people understand."""
    from complexcases.screening.rules import SOURCE_COLUMNS, SOURCE_LABELS

    assert set(SOURCE_LABELS) == set(SOURCE_COLUMNS)
    assert all("_" not in label for label in SOURCE_LABELS.values())
