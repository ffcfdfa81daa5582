"""The "What makes a complex case" page: criteria, combinations and how far people went."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from complexcases.reporting.scope import Scope
from complexcases.screening.rules import CRITERIA

from .. import tables
from ..disclosure import SMALL_NUMBER, SUPPRESSED
from ..models import CriteriaGroup, OutcomesRefresh
from ..tables import Cell, Table, TableRow
from .areas import latest_refresh, pdus_of

STEPS = (
    ("requested", "Triage requested"),
    ("referred", "Referred to panel"),
    ("heard", "Heard at panel"),
)
FUNNEL_HEADERS = [
    "People",
    *[header for _key, step in STEPS for header in (step, f"{step} (percent)")],
]


@dataclass(frozen=True)
class Counts:
    people: int = 0
    requested: int = 0
    referred: int = 0
    heard: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, int, int, int]:
        return (self.people, self.requested, self.referred, self.heard)


def grouped(kind: str, scope: Scope) -> dict[tuple[int, ...] | None, Counts] | None:
    """People of one kind in the area, by combination of criteria met (summed over its PDUs)."""
    area = pdus_of(scope)
    if area is None:
        return None
    rows = (
        CriteriaGroup.objects.filter(kind=kind, **area)
        .values("criteria_met")
        .annotate(
            people=Sum("people"),
            requested=Sum("requested"),
            referred=Sum("referred"),
            heard=Sum("heard"),
        )
        .order_by()
    )
    found: dict = defaultdict(Counts)
    for row in rows:
        key = tuple(sorted(row["criteria_met"])) if row["criteria_met"] is not None else None
        found[key] += Counts(row["people"], row["requested"], row["referred"], row["heard"])
    return dict(found)


def funnel_cells(counts: Counts) -> tuple[Cell, ...]:
    cells = [tables.count(counts.people)]
    for key, _label in STEPS:
        number = getattr(counts, key)
        value = 100 * number / counts.people if counts.people else None
        cells += [tables.count(number), tables.percent(value, base=counts.people, count_of=number)]
    return tuple(cells)


def combination_label(criteria: tuple[int, ...]) -> str:
    if not criteria:
        return "None of the eight"
    numbers = [str(n) for n in criteria]
    if len(numbers) == 1:
        return f"Criterion {numbers[0]} only"
    return f"Criteria {', '.join(numbers[:-1])} and {numbers[-1]}"


def _by_criterion(groups: dict, slug: str, title: str, who: str) -> Table:
    total = sum((c for c in groups.values()), Counts())
    rows = []
    for criterion in CRITERIA:
        counts = sum(
            (c for key, c in groups.items() if key is not None and criterion.number in key),
            Counts(),
        )
        share = 100 * counts.people / total.people if total.people else None
        rows.append(
            TableRow(
                f"{criterion.number}. {criterion.name}",
                (
                    tables.percent(share, base=total.people, count_of=counts.people),
                    *funnel_cells(counts),
                ),
            )
        )
    return Table(
        slug=slug,
        title=title,
        description=f"{who} meeting each criterion (a person meeting several counts under each), and "
        "of them how many had a triage request, a referral to panel and a hearing afterwards.",
        headers=["Criterion", f"Percent of {who.lower()}", *FUNNEL_HEADERS],
        rows=rows,
    )


def _by_number(groups: dict, slug: str, title: str, who: str) -> Table:
    by_number: dict = defaultdict(Counts)
    for key, counts in groups.items():
        by_number[len(key) if key is not None else None] += counts
    return Table(
        slug=slug,
        title=title,
        description=f"{who} by how many of the eight criteria they met.",
        headers=["Criteria met", *FUNNEL_HEADERS],
        rows=[
            TableRow(
                "Not in the extract then" if n is None else f"{n} of 8", funnel_cells(by_number[n])
            )
            for n in sorted(by_number, key=lambda n: -1 if n is None else n)
        ],
    )


def _combinations(groups: dict) -> Table:
    common = sorted(
        ((key, c) for key, c in groups.items() if key is not None and c.people >= SMALL_NUMBER),
        key=lambda pair: (-pair[1].people, pair[0]),
    )
    rare = sum((c for key, c in groups.items() if key is None or c.people < SMALL_NUMBER), Counts())
    rows = [TableRow(combination_label(key), funnel_cells(counts)) for key, counts in common]
    if rare.people:
        rows.append(
            TableRow(f"Other combinations (each met by {SUPPRESSED} people)", funnel_cells(rare))
        )
    return Table(
        slug="combinations",
        title="Combinations of criteria",
        description="The combinations of criteria people listed met, most common first. Combinations "
        "met by fewer than 5 people are counted together, so no one stands out.",
        headers=["Combination", *FUNNEL_HEADERS],
        rows=rows,
    )


@dataclass
class CriteriaPage:
    refresh: OutcomesRefresh | None
    listed: int = 0
    below: int = 0
    tables: list[Table] = field(default_factory=list)


def criteria_page(*, scope: Scope) -> CriteriaPage:
    """Listed people and people brought on below the threshold in the window, in the area."""
    page = CriteriaPage(refresh=latest_refresh())
    listed, below = grouped("listed", scope), grouped("below", scope)
    if page.refresh is None or listed is None or below is None:
        return page
    page.listed = sum(c.people for c in listed.values())
    page.below = sum(c.people for c in below.values())
    page.tables = [
        _by_criterion(listed, "criteria", "Criteria met by people listed", "People listed"),
        _by_number(
            listed, "number-met", "Number of criteria met by people listed", "People listed"
        ),
        _combinations(listed),
        _by_number(
            below,
            "below-number-met",
            "Brought onto the pathway below the threshold: number of criteria met",
            "People marked for the pathway, or with a triage request, below the threshold",
        ),
        _by_criterion(
            below,
            "below-criteria",
            "Brought onto the pathway below the threshold: criteria met",
            "People brought on below the threshold",
        ),
    ]
    return page
