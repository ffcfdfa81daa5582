"""The "Outcomes after the panel" page: the stored figures of one area, as tables and charts."""

from dataclasses import dataclass, field

from complexcases.reporting.scope import Scope
from panel.models import EarlyOutcome

from .. import tables
from ..disclosure import figure_difference_shown, is_small
from ..measures import (
    COHORT,
    CRITERIA_MEASURES,
    EARLY_OUTCOME_PREFIX,
    HORIZONS,
    MEASURES_BY_SLUG,
    TRAJECTORY,
)
from ..models import Area, OutcomeFigure, OutcomesRefresh
from ..tables import Cell, Interval, Table, TableRow
from .areas import area_of, latest_refresh

HEADERS = [
    "Measure",
    "Matched cases",
    "Heard at panel",
    "Comparison people",
    "Difference",
    "95% interval",
    "All heard cases",
    "All heard cases: value",
]
BREAKDOWN_HEADERS = [
    "Group",
    "Matched cases",
    "Heard at panel",
    "Comparison people",
    "Difference",
    "95% interval",
]


def horizon_label(months: int) -> str:
    return f"{months} month{'s' if months != 1 else ''} after the hearing"


def _value(value, *, base, count_of, proportion) -> Cell:
    if proportion:
        return tables.percent(value, base=base, count_of=count_of)
    return tables.average(value, base=base)


def comparison_cells(figure: OutcomeFigure, proportion: bool) -> list[Cell]:
    """Matched cases, heard, comparison, difference, interval: hidden together where they must be."""
    shown = figure_difference_shown(figure, proportion)
    cells = [
        tables.count(figure.matched),
        _value(
            figure.matched_value,
            base=figure.matched,
            count_of=figure.matched_count,
            proportion=proportion,
        ),
        _value(
            figure.comparison_value,
            base=figure.comparison_people,
            count_of=figure.comparison_count,
            proportion=proportion,
        ),
    ]
    if figure.difference is None:
        return [*cells, Cell("no data", ""), Cell("no data", "")]
    difference = tables.difference(figure.difference, proportion=proportion, shown=shown)
    interval = tables.interval(figure.lower, figure.upper, proportion=proportion, shown=shown)
    return [*cells, difference, interval]


def _all_cases_cell(figure: OutcomeFigure, proportion: bool) -> Cell:
    """All heard cases' value, unless it and the matched cases' would give away the few unmatched."""
    unmatched = figure.heard_base - figure.matched
    unmatched_count = (figure.heard_count or 0) - (figure.matched_count or 0)
    if figure.matched and (is_small(unmatched) or (proportion and is_small(unmatched_count))):
        return tables.HIDDEN
    return _value(
        figure.heard_value,
        base=figure.heard_base,
        count_of=figure.heard_count,
        proportion=proportion,
    )


def _row(figure: OutcomeFigure) -> TableRow:
    measure = MEASURES_BY_SLUG[figure.measure]
    proportion = measure.is_proportion
    return TableRow(
        measure.label,
        (
            *comparison_cells(figure, proportion),
            tables.count(figure.heard_base),
            _all_cases_cell(figure, proportion),
        ),
    )


def _intervals(figures: list[OutcomeFigure]) -> tuple[list[Interval], float]:
    """Differences of percentages with their intervals, on one scale around 0."""
    drawn = [
        f
        for f in figures
        if MEASURES_BY_SLUG[f.measure].is_proportion
        and f.lower is not None
        and figure_difference_shown(f, True)
    ]
    if not drawn:
        return [], 50.0
    widest = max(max(abs(f.lower), abs(f.upper), abs(f.difference)) for f in drawn)
    scale = min(100, max(10, -(-widest // 10) * 10))

    def at(value: float) -> float:
        return round(50 + 50 * value / scale, 1)

    return [
        Interval(
            label=MEASURES_BY_SLUG[f.measure].label,
            text=f"{tables.signed(f.difference)} points ({tables.signed(f.lower)} to {tables.signed(f.upper)})",
            low=at(f.lower),
            high=at(f.upper),
            point=at(f.difference),
        )
        for f in drawn
    ], scale


@dataclass
class AfterPanelPage:
    refresh: OutcomesRefresh | None
    cohort: Table | None = None
    pathway: Table | None = None
    horizons: list[tuple[int, Table, Table]] = field(default_factory=list)
    heard: int = 0
    unmatched: int = 0

    @property
    def tables(self) -> list[Table]:
        found = [t for t in (self.cohort, self.pathway) if t is not None]
        for _months, main, criteria in self.horizons:
            found += [main, criteria]
        return found


def _cohort_table(figures: dict) -> Table:
    return Table(
        slug="cases",
        title="The cases heard at panel",
        description="Every case heard at panel (its first hearing), and how many were matched with "
        "comparison people. A case with no match still counts in “All heard cases”.",
        headers=["Cases", "Number"],
        rows=[
            TableRow(label, (tables.count(figures[slug].heard_count if slug in figures else 0),))
            for slug, label in COHORT.items()
            if not slug.startswith("actions") and slug != "followed_up"
        ],
    )


def _pathway_table(figures: dict, outcomes: dict) -> Table:
    def share(slug: str) -> TableRow:
        figure = figures.get(slug)
        number = figure.heard_count if figure else 0
        base = figure.heard_base if figure else 0
        value = 100 * number / base if base else None
        return TableRow(
            COHORT.get(slug) or outcomes.get(slug, slug),
            (tables.count(number), tables.percent(value, base=base, count_of=number)),
        )

    early = sorted(
        (s for s in figures if s.startswith(EARLY_OUTCOME_PREFIX)), key=lambda s: outcomes.get(s, s)
    )
    return Table(
        slug="after-the-panel",
        title="Follow-up, early outcomes and actions",
        description="For the cases heard: a QDO check-in done, the early outcomes recorded at "
        "check-ins (percent of cases with a check-in done), and the panel's actions due by the "
        "figures' date (percent of actions due).",
        headers=["What happened", "Number", "Percent"],
        rows=[share("followed_up"), *[share(slug) for slug in early]]
        + [share(slug) for slug in ("actions_on_time", "actions_late", "actions_not_done")],
    )


def after_panel_page(*, scope: Scope) -> AfterPanelPage:
    """Every figure of the area chosen within the scope, from the last refresh."""
    refresh = latest_refresh()
    area = area_of(scope)
    page = AfterPanelPage(refresh=refresh)
    if refresh is None or area is None:
        return page
    rows = list(OutcomeFigure.objects.filter(theme__isnull=True, **area).order_by("horizon", "pk"))
    cohort = {f.measure: f for f in rows if f.horizon == 0}
    outcomes = {
        f"{EARLY_OUTCOME_PREFIX}{pk}": name
        for pk, name in EarlyOutcome.objects.values_list("pk", "name")
    }
    page.cohort = _cohort_table(cohort)
    page.pathway = _pathway_table(cohort, outcomes)
    page.heard = cohort["heard"].heard_count if "heard" in cohort else 0
    page.unmatched = page.heard - (cohort["matched"].heard_count if "matched" in cohort else 0)
    for months in HORIZONS:
        at = {f.measure: f for f in rows if f.horizon == months}
        main = Table(
            slug=f"after-{months}-months",
            title=horizon_label(months).capitalize(),
            description=f"Each heard case in the first extract dated at least {months} month"
            f"{'s' if months != 1 else ''} after its hearing, beside its comparison people in the same extract.",
            headers=HEADERS,
            rows=[_row(at[m.slug]) for m in TRAJECTORY if m.slug in at],
        )
        main.intervals, main.scale = _intervals([at[m.slug] for m in TRAJECTORY if m.slug in at])
        criteria = Table(
            slug=f"criteria-after-{months}-months",
            title=f"Criteria met, {horizon_label(months)}",
            description="Which of the eight criteria the people in the extract met.",
            headers=HEADERS,
            rows=[_row(at[m.slug]) for m in CRITERIA_MEASURES if m.slug in at],
        )
        page.horizons.append((months, main, criteria))
    return page


def breakdown_table(
    *, scope: Scope, refresh: OutcomesRefresh | None, by: str, horizon: int, measure: str
) -> Table | None:
    """One measure at one horizon, by triage theme (every region, a region) or by region."""
    area = area_of(scope)
    if area is None or refresh is None:
        return None
    proportion = MEASURES_BY_SLUG[measure].is_proportion
    rows = OutcomeFigure.objects.filter(horizon=horizon, measure=measure)
    if by == "theme":
        if area["area"] == Area.PDU:
            return None
        found = rows.filter(theme__isnull=False, **area).select_related("theme")
        labelled = [(f.theme.name, f) for f in found.order_by("theme__position", "theme__name")]
    else:
        if area["area"] != Area.NATIONAL:
            return None
        names = {region.pk: region.name for region in scope.regions}
        found = rows.filter(area=Area.REGION, theme__isnull=True)
        labelled = sorted(((names[f.region_id], f) for f in found), key=lambda pair: pair[0])
    label = MEASURES_BY_SLUG[measure].label
    return Table(
        slug=f"by-{by}",
        title=f"{label}, {horizon_label(horizon)}, by {'theme' if by == 'theme' else 'region'}",
        description="A case counts under every theme of the blockers its triage found."
        if by == "theme"
        else "Cases by the region of their PDU at the hearing.",
        headers=BREAKDOWN_HEADERS,
        rows=[TableRow(name, tuple(comparison_cells(f, proportion))) for name, f in labelled],
    )
