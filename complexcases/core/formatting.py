"""GOV.UK style for dates and times: "10am", "10:45am", "Tuesday 24 November 2026"."""

from datetime import datetime, time

from django.utils import timezone


def govuk_clock(value: time) -> str:
    """A time of day: "10am", "2:30pm", "midday"."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def govuk_time(value: datetime) -> str:
    return govuk_clock(timezone.localtime(value).time())


def govuk_time_range(start: datetime, end: datetime) -> str:
    return f"{govuk_time(start)} to {govuk_time(end)}"


def govuk_date(value: datetime) -> str:
    return f"{timezone.localtime(value):%A %-d %B %Y}"


def mid_sentence(name: str) -> str:
    """A role or title as it reads inside a sentence: 'quality development officer', but
    'OPD clinician' and 'SPO' keep their capitals (an acronym is never lower-cased)."""
    first, _space, rest = str(name).partition(" ")
    if first.isupper() and len(first) > 1:
        return str(name)
    return " ".join(filter(None, [first.lower(), rest]))


def megabytes(size: int) -> str:
    """A file size limit as people read it: "10MB", "2.5MB"."""
    return f"{size / (1024 * 1024):g}MB"
