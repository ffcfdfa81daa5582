"""Checks that keep the learning log anonymous: no CRNs and no dates of birth."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

# Anything CRN-shaped, even inside a longer word: one letter then six digits.
CRN_SHAPED = r"[A-Za-z][ -]?[0-9]{6}"  # X123456, X 123456, X-123456
CRN_SHAPED_PATTERN = re.compile(CRN_SHAPED)

# Look-alikes are checked as what they look like. Before any check the text loses the
# characters that show as nothing (Unicode's format characters as of Unicode 14, variation
# selectors and combining accents), is NFKC-normalised (fullwidth X１２３４５６ becomes
# X123456) and has every other script's decimal digits written as 0-9. The ranges are fixed
# here, not read from `unicodedata`, so the database check below (the same steps in SQL)
# does not change when Python's Unicode tables do.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x0300, 0x036F), (0x0600, 0x0605), (0x061C, 0x061C),
    (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x206F), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F), (0xE0100, 0xE01EF),
)  # fmt: skip
# The zero of each run of ten decimal digits outside ASCII (Unicode category Nd).
_DIGIT_ZEROS = (
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
    0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810,
    0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0,
    0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0,
    0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8,
    0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
)  # fmt: skip


def _escape(code: int) -> str:
    # \uXXXX and \UXXXXXXXX mean the same in Python's re and PostgreSQL's regular expressions.
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


INVISIBLE_CHARACTERS = (
    "["
    + "".join(
        _escape(first) if first == last else f"{_escape(first)}-{_escape(last)}"
        for first, last in _INVISIBLE_RANGES
    )
    + "]"
)
_INVISIBLE_PATTERN = re.compile(INVISIBLE_CHARACTERS)
OTHER_DIGITS = "".join(chr(zero + value) for zero in _DIGIT_ZEROS for value in range(10))
ASCII_DIGITS = "0123456789" * len(_DIGIT_ZEROS)
_TO_ASCII_DIGITS = str.maketrans(OTHER_DIGITS, ASCII_DIGITS)


def as_read(text: str) -> str:
    """The text as a reader sees it: invisible characters gone, NFKC, digits as 0-9."""
    text = _INVISIBLE_PATTERN.sub("", text or "")
    return unicodedata.normalize("NFKC", text).translate(_TO_ASCII_DIGITS)


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
    """A CRN-shaped string, however it is disguised (see `as_read`)."""
    return bool(CRN_SHAPED_PATTERN.search(as_read(text)))


def contains_date_of_birth(text: str, *, today: date | None = None) -> bool:
    """A full date at least BIRTH_YEARS_AGO years back, or the words "date of birth" / "DOB"."""
    if not text:
        return False
    text = as_read(text)
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
