"""CSV exports that are safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable
from typing import TextIO

# A count this small could point to a person, so exports and dashboards show this instead.
SUPPRESSED = "fewer than 5"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Neutralise cells a spreadsheet would run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(out: TextIO, header: list[str], rows: Iterable[Iterable[object]]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
        count += 1
    return count
