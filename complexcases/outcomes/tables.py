"""The shape of every outcomes figure: a GOV.UK table of cells, maybe a chart, and its CSV rows.

A cell carries the words the page shows and the plain value a download holds; both have had
the small-number rule applied (disclosure.py), so nothing hidden on screen is in the CSV.
"""

from dataclasses import dataclass, field

from .disclosure import NOT_SHOWN, SUPPRESSED, is_small

MINUS = "\u2212"  # a real minus sign: a hyphen is read out as "dash"


@dataclass(frozen=True)
class Cell:
    text: str
    plain: str = ""

    @property
    def csv(self) -> str:
        return self.plain or self.text


# On screen the page's introduction says what "not shown" means; a download says it in full.
HIDDEN = Cell("not shown", NOT_SHOWN)


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Interval:
    """One row of a difference chart: positions are percent of the chart's width."""

    label: str
    text: str
    low: float
    high: float
    point: float


@dataclass
class Table:
    slug: str
    title: str
    description: str
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)
    note: str = ""
    intervals: list[Interval] = field(default_factory=list)  # a chart, when not empty
    zero: float = 50.0  # where 0 falls on the chart, in percent of its width
    scale: float = 0  # the chart runs from -scale to +scale

    def csv_rows(self) -> list[tuple[str, str, str]]:
        """(category, measure, value) for each cell."""
        return [
            (row.label, header, cell.csv)
            for row in self.rows
            for header, cell in zip(self.headers[1:], row.cells, strict=True)
        ]


def signed(value: float, digits: int = 0) -> str:
    text = f"{abs(value):,.{digits}f}"
    if text.strip("0.,") == "":
        return text
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def count(number: int | None) -> Cell:
    """A count, or "fewer than 5" for 1 to 4."""
    if number is None:
        return Cell("no data", "")
    if is_small(number):
        return Cell(SUPPRESSED)
    return Cell(f"{number:,}", str(number))


def percent(value: float | None, *, base: int, count_of: int | None = None) -> Cell:
    """A percentage of `base` cases, hidden when the base is under 5 or gives back a count of 1 to 4."""
    if not base or value is None:
        return Cell("no data", "")
    if base < 5:
        return HIDDEN
    if is_small(count_of if count_of is not None else round(value * base / 100)):
        return Cell(SUPPRESSED)
    return Cell(f"{value:.0f}%", f"{value:.0f}")


def average(value: float | None, *, base: int) -> Cell:
    if not base or value is None:
        return Cell("no data", "")
    if base < 5:
        return HIDDEN
    return Cell(f"{value:.1f}", f"{value:.1f}")


def difference(value: float | None, *, proportion: bool, shown: bool) -> Cell:
    if value is None:
        return Cell("no data", "")
    if not shown:
        return HIDDEN
    digits = 0 if proportion else 1
    unit = " points" if proportion else ""
    return Cell(f"{signed(value, digits)}{unit}", f"{value:.{digits}f}")


def interval(lower: float | None, upper: float | None, *, proportion: bool, shown: bool) -> Cell:
    if not shown:
        return HIDDEN
    if lower is None or upper is None:
        return Cell("no data", "")
    digits = 0 if proportion else 1
    unit = " points" if proportion else ""
    return Cell(
        f"{signed(lower, digits)} to {signed(upper, digits)}{unit}",
        f"{lower:.{digits}f} to {upper:.{digits}f}",
    )
