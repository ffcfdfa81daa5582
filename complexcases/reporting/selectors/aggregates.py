"""The database expressions and small helpers every reporting figure shares."""

from datetime import date

from django.db.models import Aggregate, FloatField, Func, IntegerField, Q
from django.db.models.functions import TruncDate

from ..periods import Period


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, worked out in the database."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """Whole calendar days (Europe/London) from `start` to `end`, never negative.

    The services keep time running forwards (a triage meeting starts after its request, ADR
    0041); rows written before that rule, like the old demo's meeting dated before its
    request, count as the same day rather than pulling a median below zero.
    """

    template = "GREATEST(%(expressions)s, 0)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(TruncDate(end), TruncDate(start))


def within(path: str, period: Period) -> Q:
    """A datetime field within the period."""
    return Q(**{f"{path}__gte": period.start_at, f"{path}__lt": period.end_at})


def percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def with_counts(reference, counts: dict, names: tuple[str, ...]) -> list:
    """Every reference row (themes, activity types), with its counts or 0 where none."""
    rows = list(reference)
    for row in rows:
        found = counts.get(row.pk) or {}
        for name in names:
            setattr(row, name, found.get(name, 0))
    return rows


def month_total(by_month: dict[date, dict], months, key: str) -> int:
    """One measure added up over the months (a month with nothing counts 0)."""
    return sum((by_month.get(month) or {}).get(key) or 0 for month in months)
