"""Reporting periods: whole months, in Europe/London."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

PERIODS = {
    "this-month": "This month",
    "3": "Last 3 months",
    "6": "Last 6 months",
    "12": "Last 12 months",
    "custom": "Custom",
}
DEFAULT_PERIOD = "12"
MAX_MONTHS = 36


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s, inclusive."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def start_of(day: date) -> datetime:
    """Midnight at the start of the day, in the service's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Period:
    """Whole months, first to last; `end` is the first day after the period."""

    key: str
    months: tuple[date, ...]

    @classmethod
    def ending(cls, last_month: date, count: int, *, key: str = "") -> "Period":
        first = last_month.replace(day=1)
        for _ in range(count - 1):
            first = previous_month(first)
        return cls(key=key or str(count), months=tuple(months_between(first, last_month)))

    @classmethod
    def of(cls, key: str, *, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        if key == "this-month":
            return cls.ending(today, 1, key=key)
        return cls.ending(today, int(key), key=key)

    @property
    def start(self) -> date:
        return self.months[0]

    @property
    def end(self) -> date:
        return next_month(self.months[-1])

    @property
    def last_month(self) -> date:
        return self.months[-1]

    @property
    def start_at(self) -> datetime:
        return start_of(self.start)

    @property
    def end_at(self) -> datetime:
        return start_of(self.end)

    @property
    def label(self) -> str:
        if len(self.months) == 1:
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.months[-1]:%B %Y}"

    @property
    def slug(self) -> str:
        if len(self.months) == 1:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m}-to-{self.months[-1]:%Y-%m}"
