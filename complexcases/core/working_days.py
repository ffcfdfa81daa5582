"""Working days in England and Wales: Monday to Friday, less bank holidays."""

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
