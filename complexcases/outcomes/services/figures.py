"""From heard cases with their trajectories to the stored figures of every group of cases.

A group is an area (every region, a region, a PDU: the case's PDU at the hearing) and, for
every region and each region, also each triage theme. Per group and horizon: all heard
cases' figures, then the matched cases' figures beside their comparison people's, the mean
per-case difference and its seeded bootstrap interval (ADR 0053).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

from ..bootstrap import bootstrap_intervals
from ..disclosure import figure_difference_shown
from ..measures import COHORT, EARLY_OUTCOME_PREFIX, HORIZONS, MEASURES
from ..models import Area, OutcomeFigure
from .trajectories import HeardCase, Point


@dataclass(frozen=True)
class Group:
    area: str
    region_id: int | None = None
    pdu_id: int | None = None
    theme_id: int | None = None
    key: str = ""  # names the group in the bootstrap's seed: codes, not ids, where there are codes

    def figure(self, **values) -> OutcomeFigure:
        return OutcomeFigure(
            area=self.area,
            region_id=self.region_id,
            pdu_id=self.pdu_id,
            theme_id=self.theme_id,
            **values,
        )


def groups_of(case: HeardCase, *, region_codes: dict, pdu_codes: dict) -> list[Group]:
    """Every group a case counts in: its areas, and by theme for every region and its region."""
    region = f"region:{region_codes[case.region_id]}"
    groups = [
        Group(Area.NATIONAL, key="national"),
        Group(Area.REGION, case.region_id, key=region),
        Group(Area.PDU, case.region_id, case.pdu_id, key=f"pdu:{pdu_codes[case.pdu_id]}"),
    ]
    for theme in case.themes:
        groups.append(Group(Area.NATIONAL, theme_id=theme, key=f"national:theme:{theme}"))
        groups.append(
            Group(Area.REGION, case.region_id, theme_id=theme, key=f"{region}:theme:{theme}")
        )
    return groups


@dataclass(frozen=True)
class CaseExtras:
    """What happened on the pathway after the hearing, per case (the panel's own records)."""

    followed_up: set
    early_outcomes: dict  # case id → set of early outcome ids
    actions: dict  # case id → (due, on time, late, not done)


def cohort_figures(group: Group, cases: list[HeardCase], extras: CaseExtras) -> list[OutcomeFigure]:
    """Horizon 0: the cases themselves, how many were matched, and what followed the panel."""
    counts = dict.fromkeys(COHORT, 0)
    outcomes = defaultdict(int)
    counts["heard"] = len(cases)
    for case in cases:
        if case.matched:
            counts["matched"] += 1
            counts["comparison_people"] += case.matched
        else:
            counts[case.unmatched_reason] += 1
        counts["followed_up"] += case.case_id in extras.followed_up
        for outcome in extras.early_outcomes.get(case.case_id, ()):
            outcomes[outcome] += 1
        due, on_time, late, not_done = extras.actions.get(case.case_id, (0, 0, 0, 0))
        counts["actions_due"] += due
        counts["actions_on_time"] += on_time
        counts["actions_late"] += late
        counts["actions_not_done"] += not_done
    bases = {slug: len(cases) for slug in counts}
    for slug in ("actions_on_time", "actions_late", "actions_not_done"):
        bases[slug] = counts["actions_due"]
    figures = [
        group.figure(
            horizon=0, measure=slug, cases=len(cases), heard_count=count, heard_base=bases[slug]
        )
        for slug, count in counts.items()
    ]
    figures += [
        group.figure(
            horizon=0,
            measure=f"{EARLY_OUTCOME_PREFIX}{outcome}",
            cases=len(cases),
            heard_count=count,
            heard_base=counts["followed_up"],
        )
        for outcome, count in sorted(outcomes.items())
    ]
    return figures


def _scaled(value: float | None, proportion: bool) -> float | None:
    return None if value is None else value * 100 if proportion else value


@dataclass(frozen=True)
class Pair:
    """One matched case for one measure: the heard person's value and their comparison people's."""

    heard: float
    others: list[float]

    @property
    def difference(self) -> float:
        return self.heard - fmean(self.others)


def pairs_of(point: Point) -> list[Pair | None]:
    """Per measure, the case beside its comparison people (None where either side has no value)."""
    pairs: list[Pair | None] = []
    for m in range(len(MEASURES)):
        others = [values[m] for values in point.comparison if values[m] is not None]
        heard = point.heard[m]
        pairs.append(None if heard is None or not others else Pair(heard, others))
    return pairs


def measure_values(measure, observed: list[Point], pairs: list[Pair]) -> dict:
    """One measure's stored values: all heard cases observed, then the matched ones."""
    m, proportion = MEASURES.index(measure), measure.is_proportion
    heard = [point.heard[m] for point in observed if point.heard[m] is not None]
    values = {
        "measure": measure.slug,
        "cases": len(observed),
        "heard_base": len(heard),
        "heard_count": round(sum(heard)) if proportion else None,
        "heard_value": _scaled(fmean(heard), proportion) if heard else None,
        "matched": len(pairs),
        "comparison_people": sum(len(pair.others) for pair in pairs),
    }
    if pairs:
        values |= {
            "matched_count": round(sum(p.heard for p in pairs)) if proportion else None,
            "matched_value": _scaled(fmean(p.heard for p in pairs), proportion),
            "comparison_value": _scaled(fmean(fmean(p.others) for p in pairs), proportion),
            "comparison_count": round(sum(sum(p.others) for p in pairs)) if proportion else None,
            "difference": _scaled(fmean(p.difference for p in pairs), proportion),
        }
    return values


def horizon_figures(
    group: Group, cases: list[HeardCase], horizon: int, *, seed: str, replicates: int
) -> list[OutcomeFigure]:
    """One horizon's measures for a group: all heard cases, then matched against comparison."""
    observed = [case.points[horizon] for case in cases if horizon in case.points]
    if not observed:
        return []
    rows = [pairs_of(point) for point in observed if point.comparison]  # matched cases
    figures = [
        group.figure(
            horizon=horizon,
            **measure_values(measure, observed, [row[m] for row in rows if row[m] is not None]),
        )
        for m, measure in enumerate(MEASURES)
    ]
    shown = [
        figure_difference_shown(f, measure.is_proportion)
        for f, measure in zip(figures, MEASURES, strict=True)
    ]
    if any(shown):
        # Only what would be shown is resampled: a hidden difference needs no interval.
        intervals = bootstrap_intervals(
            [
                [
                    pair.difference if pair is not None and shown[m] else None
                    for m, pair in enumerate(row)
                ]
                for row in rows
            ],
            seed=f"{seed}|{group.key}|{horizon}",
            replicates=replicates,
        )
        for figure, measure, interval in zip(figures, MEASURES, intervals, strict=True):
            if interval is not None:
                figure.lower = _scaled(interval[0], measure.is_proportion)
                figure.upper = _scaled(interval[1], measure.is_proportion)
    return figures


def figures_for(
    cases: Iterable[HeardCase],
    extras: CaseExtras,
    *,
    region_codes: dict,
    pdu_codes: dict,
    seed: str,
    replicates: int,
) -> list[OutcomeFigure]:
    """Every group's figures: the cohort, then each horizon."""
    members: dict[Group, list[HeardCase]] = defaultdict(list)
    for case in sorted(cases, key=lambda case: case.case_id):
        for group in groups_of(case, region_codes=region_codes, pdu_codes=pdu_codes):
            members[group].append(case)
    figures = []
    for group, grouped in members.items():
        figures += cohort_figures(group, grouped, extras)
        for horizon in HORIZONS:
            figures += horizon_figures(group, grouped, horizon, seed=seed, replicates=replicates)
    return figures
