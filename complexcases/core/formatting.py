"""GOV.UK style for dates and times: "10am", "10:45am", "Tuesday 24 November 2026"."""

from datetime import datetime

from django.utils import timezone


def govuk_time(value: datetime) -> str:
    local = timezone.localtime(value)
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    if local.hour == 12 and local.minute == 0:
        return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def govuk_time_range(start: datetime, end: datetime) -> str:
    return f"{govuk_time(start)} to {govuk_time(end)}"


def govuk_date(value: datetime) -> str:
    return f"{timezone.localtime(value):%A %-d %B %Y}"
