"""What the trajectory after a hearing measures, for a heard person and for comparison people alike.

Each measure reads one person's state in one extract (a `State`) and says whether it applies
(`defined`) and its value: 1 or 0 for a proportion, a number for an average. The same
definitions serve the heard person and the people they are compared with (docs/outcomes.md).
"""

from collections.abc import Callable
from dataclasses import dataclass

from complexcases.screening.rules import CRITERIA

PROPORTION, AVERAGE = "proportion", "average"
HORIZONS = (1, 3, 6, 12)  # months after the hearing
HIGH_ROSH = ("high", "very_high")


@dataclass(frozen=True)
class State:
    """One person in the first extract dated at least N months after a hearing.

    `in_extract` False: the person was not in that extract (no longer on probation, or not
    supervised in a PDU the service knows). `community_at_hearing` is their custody status in
    the extract the hearing's figures are from (None if unknown); `back_in_custody` whether
    any extract after that one and up to this one showed them in custody.
    """

    in_extract: bool
    criteria: frozenset[int] = frozenset()
    threshold: int = 6
    rosh_level: str = ""
    mappa_level: int | None = None
    in_custody: bool | None = None
    community_at_hearing: bool | None = None
    back_in_custody: bool = False

    @property
    def count(self) -> int:
        return len(self.criteria)


@dataclass(frozen=True)
class Measure:
    slug: str
    label: str
    kind: str
    applies: Callable[[State], bool]
    value: Callable[[State], float]
    hint: str = ""

    @property
    def is_proportion(self) -> bool:
        return self.kind == PROPORTION


def _always(state: State) -> bool:
    return True


def _in_extract(state: State) -> bool:
    return state.in_extract


def _custody_known(state: State) -> bool:
    return state.in_extract and state.in_custody is not None


def _community_at_hearing(state: State) -> bool:
    return state.community_at_hearing is True


def _criterion(number: int) -> Callable[[State], float]:
    return lambda state: float(number in state.criteria)


TRAJECTORY = (
    Measure(
        "in_extract",
        "Still in the extract",
        PROPORTION,
        _always,
        lambda s: float(s.in_extract),
        hint="on probation in a PDU the service knows",
    ),
    Measure(
        "listed",
        "Still listed",
        PROPORTION,
        _always,
        lambda s: float(s.in_extract and s.count >= s.threshold),
        hint="meets the threshold in that extract; someone not in the extract counts as not listed",
    ),
    Measure(
        "criteria_count",
        "Criteria met (average, of 8)",
        AVERAGE,
        _in_extract,
        lambda s: float(s.count),
        hint="of the people in the extract",
    ),
    Measure(
        "rosh_high",
        "ROSH high or very high",
        PROPORTION,
        _in_extract,
        lambda s: float(s.rosh_level in HIGH_ROSH),
        hint="of the people in the extract; an unknown ROSH counts as not high",
    ),
    Measure(
        "mappa",
        "MAPPA level 2 or 3",
        PROPORTION,
        _in_extract,
        lambda s: float(s.mappa_level in (2, 3)),
        hint="of the people in the extract",
    ),
    Measure(
        "custody",
        "In custody",
        PROPORTION,
        _custody_known,
        lambda s: float(bool(s.in_custody)),
        hint="of the people in the extract",
    ),
    Measure(
        "back_in_custody",
        "Back in custody since the hearing",
        PROPORTION,
        _community_at_hearing,
        lambda s: float(s.back_in_custody),
        hint="of the people in the community at the hearing, those in custody in any later "
        "extract up to then (a recall or a new sentence: the extract does not say which)",
    ),
)
CRITERIA_MEASURES = tuple(
    Measure(
        f"criterion_{c.number}",
        f"{c.number}. {c.name}",
        PROPORTION,
        _in_extract,
        _criterion(c.number),
    )
    for c in CRITERIA
)
MEASURES = TRAJECTORY + CRITERIA_MEASURES
MEASURES_BY_SLUG = {measure.slug: measure for measure in MEASURES}


def measure_values(state: State | None) -> list[float | None]:
    """Every measure's value for one person's state (None where it does not apply)."""
    if state is None:
        return [None] * len(MEASURES)
    return [measure.value(state) if measure.applies(state) else None for measure in MEASURES]


# Figures about the heard cases themselves (horizon 0), in the order the page shows them.
COHORT = {
    "heard": "Cases heard at panel",
    "matched": "Matched with comparison people",
    "unmatched_not_in_extract": "No match: not in the extract at the hearing",
    "unmatched_below_threshold": "No match: below the threshold at the hearing",
    "unmatched_no_one_alike": "No match: no one listed alike and never referred",
    "comparison_people": "Comparison people (a person can be matched to more than one case)",
    "followed_up": "Cases with a follow-up check-in done",
    "actions_due": "Actions due by the figures' date (not counting those no longer needed)",
    "actions_on_time": "Actions done by their due date",
    "actions_late": "Actions done late",
    "actions_not_done": "Actions not done yet",
}
EARLY_OUTCOME_PREFIX = "early_outcome_"
