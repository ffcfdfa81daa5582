"""The shape every figure takes: a table of categories by measures, drawn as bars, exported as CSV.

Nothing here queries the database; selectors.py fills these in.
"""

from dataclasses import dataclass, field

from complexcases.core.export import SUPPRESSED

COUNT, DAYS, PERCENT, AVERAGE = "count", "days", "percent", "average"
SMALL_NUMBER = 5  # counts below this (but above 0) are suppressed below PDU level
SUPPRESSED_BASE = "not shown: fewer than 5 cases"

Number = int | float | None


@dataclass(frozen=True)
class Measure:
    name: str  # the column header, e.g. "Requests"
    unit: str = COUNT
    charted: bool = True
    base: int | None = None  # for a median, percentage or average: the index of its count


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Number, ...]
    unit: str | None = None  # for a row unlike the others, e.g. a percentage among counts
    base: Number = None  # the count behind that row's percentage

    def unit_of(self, measure: "Measure") -> str:
        return self.unit or measure.unit


@dataclass(frozen=True)
class Bar:
    measure: str
    value: Number
    text: str
    width: int  # percent of the widest bar in the figure, 0 to 100
    series: int  # 1-based: which measure, for the bar's fill and its key


@dataclass(frozen=True)
class ChartRow:
    label: str
    bars: tuple[Bar, ...]


def format_value(value: Number, unit: str) -> str:
    if value is None:
        return "no data"
    if unit == COUNT:
        return f"{int(value):,}"
    if unit == PERCENT:
        return f"{round(value):d}%"
    if unit == DAYS:
        days = round(float(value), 1)
        days = int(days) if days == int(days) else days
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{float(value):.1f}"


def _small(number: Number) -> bool:
    return number is not None and 0 < number < SMALL_NUMBER


def _suppressed(value: Number, measure: Measure, row: Row, measures=()) -> str | None:
    """Below PDU level a small count, and anything from which one could be worked out, is hidden."""
    if row.unit is not None:
        if _small(row.base):
            return SUPPRESSED_BASE
        # A percentage of a known base gives its numerator back: 3 of 40 is 8%.
        if (
            row.unit == PERCENT
            and row.base
            and value is not None
            and _small(round(float(value) * row.base / 100))
        ):
            return SUPPRESSED
        return None
    if measure.unit == COUNT:
        return SUPPRESSED if _small(value) else None
    if measure.base is not None and _small(row.values[measure.base]):
        return SUPPRESSED_BASE
    # A percentage, average or median beside a hidden count would let it be worked out.
    if any(m.unit == COUNT and _small(v) for m, v in zip(measures, row.values, strict=False)):
        return SUPPRESSED
    if measure.unit == PERCENT and measure.base is not None and value is not None:
        base = row.values[measure.base]
        if base and _small(round(float(value) * base / 100)):
            return SUPPRESSED
    return None


@dataclass
class Figure:
    slug: str
    title: str
    description: str  # what is counted, in a sentence
    category: str  # the first column's header
    measures: list[Measure]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    period: str = ""  # in words, the months the figure covers

    @property
    def charted(self) -> list[tuple[int, Measure]]:
        return [(i, m) for i, m in enumerate(self.measures) if m.charted]

    @property
    def has_key(self) -> bool:
        return len(self.charted) > 1

    @property
    def is_empty(self) -> bool:
        return not any(value for row in self.rows for value in row.values)

    def table(self) -> list[tuple[str, list[str]]]:
        return [
            (
                row.label,
                [
                    format_value(v, row.unit_of(m))
                    for v, m in zip(row.values, self.measures, strict=True)
                ],
            )
            for row in self.rows
        ]

    def chart(self) -> list[ChartRow]:
        """Bars scaled to the largest value of the same unit (a percentage is out of 100, an average out of 5)."""
        charted = self.charted
        widest = {}
        for _index, measure in charted:
            if measure.unit == PERCENT:
                widest[measure.unit] = 100
            elif measure.unit == AVERAGE:
                widest[measure.unit] = 5
            else:
                top = max(
                    (
                        float(row.values[i] or 0)
                        for row in self.rows
                        for i, m in charted
                        if m.unit == measure.unit
                    ),
                    default=0,
                )
                widest[measure.unit] = top
        rows = []
        for row in self.rows:
            bars = []
            for series, (index, measure) in enumerate(charted, start=1):
                value = row.values[index]
                unit = row.unit_of(measure)
                top = 100 if unit == PERCENT else widest[measure.unit]
                width = round(100 * float(value or 0) / top) if top else 0
                bars.append(
                    Bar(
                        measure=measure.name,
                        value=value,
                        text=format_value(value, unit),
                        width=max(0, min(100, width)),
                        series=series,
                    )
                )
            rows.append(ChartRow(label=row.label, bars=tuple(bars)))
        return rows

    def export_rows(self, *, suppress: bool) -> list[tuple[str, str, str]]:
        """(category, measure, value) for each cell; below PDU level small counts say "fewer than 5"."""
        out = []
        for row in self.rows:
            for value, measure in zip(row.values, self.measures, strict=True):
                text = _suppressed(value, measure, row, self.measures) if suppress else None
                if text is None:
                    text = "" if value is None else _plain(value, row.unit_of(measure))
                out.append((row.label, measure.name, text))
        return out


def _plain(value: Number, unit: str) -> str:
    if unit == COUNT:
        return str(int(value))
    if unit == PERCENT:
        return str(round(value))
    return f"{round(float(value), 1):g}"


@dataclass(frozen=True)
class BigNumber:
    label: str
    value: Number
    unit: str = COUNT
    detail: str = ""

    @property
    def text(self) -> str:
        if self.value is None:
            return "–"
        if self.unit == COUNT:
            return f"{int(self.value):,}"
        return format_value(self.value, self.unit)
