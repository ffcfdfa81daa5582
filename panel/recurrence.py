"""Dates of a recurring panel: "the first Monday of each month", moved past bank holidays."""

import calendar
from datetime import date, timedelta

from complexcases.core.working_days import is_working_day


def nth_weekday(month: date, *, week: int, weekday: int) -> date:
    """The `week`th (1–4, or 5 for the last) `weekday` (0 = Monday) of the month."""
    if week == 5:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = month.replace(day=1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def session_date(month: date, *, week: int, weekday: int) -> date:
    """The pattern's day in this month; on a bank holiday (or weekend) the next working day."""
    day = nth_weekday(month, week=week, weekday=weekday)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def months_from(start: date, count: int) -> list[date]:
    """The first day of `count` months starting with start's month."""
    months, month = [], start.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months
