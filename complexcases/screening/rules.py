"""The eight complexity criteria, rule version 1 — read this beside DOMAIN.md.

A person is a "complex case" when they meet at least `settings.SCREENING_THRESHOLD`
(default 6) of these. Each rule reads the source values of one monthly extract row and
says whether it is met and which values were the evidence.

Rule version 1 reads criteria 2 and 3 as "any of the listed indicators is present".
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

RULE_VERSION = 1

ROSH_LEVELS = ("low", "medium", "high", "very_high")
ROSH_LABELS = {
    "low": "low",
    "medium": "medium",
    "high": "high",
    "very_high": "very high",
    "": "unknown",
}


@dataclass(frozen=True)
class Criterion:
    number: int
    name: str
    sources: tuple[str, ...]  # the extract columns this criterion reads
    is_met: Callable[[Mapping[str, object]], bool]


def _yes(values: Mapping[str, object], *columns: str) -> bool:
    return any(values.get(column) is True for column in columns)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        1,
        "RoSH is high or very high",
        ("rosh_level",),
        lambda v: v.get("rosh_level") in ("high", "very_high"),
    ),
    Criterion(
        2,
        "Mental health concerns",
        (
            "reg_mental_health_issues",
            "reg_mentally_disordered_offender",
            "oasys_10_psychological_problems",
            "oasys_10_psychiatric_problems",
        ),
        lambda v: _yes(
            v,
            "reg_mental_health_issues",
            "reg_mentally_disordered_offender",
            "oasys_10_psychological_problems",
            "oasys_10_psychiatric_problems",
        ),
    ),
    Criterion(
        3,
        "Risk of self-harm or suicide",
        ("reg_suicide_self_harm", "oasys_10_5_self_harm", "rosh_r3_self_harm"),
        lambda v: _yes(v, "reg_suicide_self_harm", "oasys_10_5_self_harm", "rosh_r3_self_harm"),
    ),
    Criterion(
        4,
        "Learning difficulties",
        ("oasys_4_8_learning_difficulties",),
        lambda v: v.get("oasys_4_8_learning_difficulties") in (1, 2),
    ),
    Criterion(
        5, "Current MAPPA level 2 or 3", ("mappa_level",), lambda v: v.get("mappa_level") in (2, 3)
    ),
    Criterion(6, "OPD screened in", ("opd_screened_in",), lambda v: _yes(v, "opd_screened_in")),
    Criterion(
        7,
        "Alcohol or drugs a need",
        ("oasys_alcohol_need", "oasys_drugs_need"),
        lambda v: _yes(v, "oasys_alcohol_need", "oasys_drugs_need"),
    ),
    Criterion(
        8,
        "Sentence is IPP",
        ("sentence_type",),
        lambda v: str(v.get("sentence_type", "")).upper() == "IPP",
    ),
)
CRITERIA_BY_NUMBER = {criterion.number: criterion for criterion in CRITERIA}

# Every column any criterion reads: these are kept per person per extract as evidence.
SOURCE_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(c for criterion in CRITERIA for c in criterion.sources)
)


# What each extract column is, in words (DOMAIN.md, "The monthly extract"); the column name
# stays beside it as a hint for the data staff who check the extract.
SOURCE_LABELS: dict[str, str] = {
    "rosh_level": "RoSH level",
    "reg_mental_health_issues": "nDelius register: mental health issues",
    "reg_mentally_disordered_offender": "nDelius register: mentally disordered offender",
    "oasys_10_psychological_problems": "OASys 10: psychological problems",
    "oasys_10_psychiatric_problems": "OASys 10: psychiatric problems",
    "reg_suicide_self_harm": "nDelius register: suicide or self-harm",
    "oasys_10_5_self_harm": "OASys 10.5: self-harm",
    "rosh_r3_self_harm": "RoSH R3: self-harm",
    "oasys_4_8_learning_difficulties": "OASys 4.8: learning difficulties",
    "mappa_level": "MAPPA level",
    "opd_screened_in": "OPD screened in",
    "oasys_alcohol_need": "OASys: alcohol a need",
    "oasys_drugs_need": "OASys: drugs a need",
    "sentence_type": "Sentence type",
}
LEARNING_DIFFICULTY_LABELS = {
    "0": "0, no problems",
    "1": "1, some problems",
    "2": "2, significant problems",
}


class Evidence(NamedTuple):
    """One source value behind a criterion: the extract column and the value in words."""

    column: str
    value: str

    @property
    def label(self) -> str:
        return SOURCE_LABELS.get(self.column, self.column)


def criteria_met(values: Mapping[str, object]) -> list[int]:
    """The numbers (1–8) of the criteria these source values meet."""
    return [criterion.number for criterion in CRITERIA if criterion.is_met(values)]


@dataclass(frozen=True)
class CriterionResult:
    number: int
    name: str
    met: bool
    evidence: list[Evidence]


def explain(values: Mapping[str, object]) -> list[CriterionResult]:
    """Each criterion with met / not met and the source values behind it."""
    return [
        CriterionResult(
            criterion.number,
            criterion.name,
            criterion.is_met(values),
            [
                Evidence(column, display_value(column, values.get(column)))
                for column in criterion.sources
            ],
        )
        for criterion in CRITERIA
    ]


def display_value(column: str, value: object) -> str:
    if value is None or value == "":
        return "not recorded"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if column == "rosh_level":
        return ROSH_LABELS.get(str(value), str(value))
    if column == "oasys_4_8_learning_difficulties":
        return LEARNING_DIFFICULTY_LABELS.get(str(value), str(value))
    return str(value)
