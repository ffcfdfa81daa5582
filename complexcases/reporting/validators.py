"""Checks that keep the learning log anonymous: no CRNs and no dates of birth."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

# Anything CRN-shaped, even inside a longer word: one letter then six digits.
CRN_SHAPED = r"[A-Za-z][ -]?[0-9]{6}"  # X123456, X 123456, X-123456
CRN_SHAPED_PATTERN = re.compile(CRN_SHAPED)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# 3/4/1985, 03-04-85, 3.4.1985 (day first, as written in England); 1985-04-03; 3 April 1985, 3rd Apr 1985.
_NUMERIC_DAY_FIRST = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_WRITTEN = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_WRITTEN_MONTH_FIRST = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_DOB_WORDS = re.compile(r"\b(d\.?o\.?b\.?|date of birth|born on)\b", re.IGNORECASE)
# A date this many years back or more reads as someone's date of birth, not an event in the case.
BIRTH_YEARS_AGO = 10


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _candidate_dates(text: str) -> list[tuple[date | None, int]]:
    """Every full date in the text, as (the date if real, the year as written)."""
    found = []
    for day, month, year in _NUMERIC_DAY_FIRST.findall(text):
        full_year = int(year) if len(year) == 4 else None
        # A two-digit year could be anyone's birth year: always treat it as one.
        found.append((_real(full_year or 1900, int(month), int(day)), full_year or 1900))
    for year, month, day in _ISO.findall(text):
        found.append((_real(int(year), int(month), int(day)), int(year)))
    for day, month, year in _WRITTEN.findall(text):
        found.append((_real(int(year), _MONTHS[month.lower()], int(day)), int(year)))
    for month, day, year in _WRITTEN_MONTH_FIRST.findall(text):
        found.append((_real(int(year), _MONTHS[month.lower()], int(day)), int(year)))
    return found


def contains_crn(text: str) -> bool:
    return bool(CRN_SHAPED_PATTERN.search(text or ""))


def contains_date_of_birth(text: str, *, today: date | None = None) -> bool:
    """A full date at least BIRTH_YEARS_AGO years back, or the words "date of birth" / "DOB"."""
    if not text:
        return False
    if _DOB_WORDS.search(text):
        return True
    latest_birth_year = (today or timezone.localdate()).year - BIRTH_YEARS_AGO
    return any(year <= latest_birth_year for _real_date, year in _candidate_dates(text))


def validate_no_crn(value: str) -> None:
    if contains_crn(value):
        raise ValidationError(
            "Remove the CRN (one letter and six digits, like X123456): the learning log must not identify anyone",
            code="crn",
        )


def validate_no_date_of_birth(value: str) -> None:
    if contains_date_of_birth(value):
        raise ValidationError(
            "Remove the date of birth: the learning log must not identify anyone",
            code="date_of_birth",
        )


ANONYMOUS_TEXT_VALIDATORS = [validate_no_crn, validate_no_date_of_birth]
