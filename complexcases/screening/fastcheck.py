"""The extract's fast path: PostgreSQL parses and checks a file that is provably plain (ADR 0018).

`check_extract` (Python, row by row) is the definition of a good extract and the only
source of problem reports. This module is a shortcut for the common case, a clean file
in plain CSV: it COPYs the raw file into an unlogged table of text columns (the COPY
floor's own speed), checks it there set-wise and, if every check passes, leaves a view
of typed rows with the same name and columns as `check_extract`'s staging table.

It only ever says "clean, here it is" or "not sure" (None). "Not sure" is any doubt at
all, and the caller then runs `check_extract` from the start, which lists the problems,
or imports the file if there were none. So this module must never accept a file that
`check_extract` would refuse, nor type a value differently: that is what
tests/screening/test_fastcheck.py compares, on generated files, value by value.

What it accepts, and why each is the same as Python's reading:

- CSV that both parsers split the same way: every double quote encloses a whole field on
  one line (a quote inside an unquoted field is literal to Python and a quote to
  PostgreSQL), no field spans lines (line numbers then count rows), no backslash-dot
  (PostgreSQL's end-of-data mark), one line ending throughout, and no blank lines or
  ragged rows (PostgreSQL refuses those, Python skips or reports them).
- Values that need no stripping (Python strips every cell): checked at both ends against
  exactly the characters Python's `str.strip` removes.
- Values in canonical ASCII form where Python is more lenient ("Y"/"y"/"N"/"n", "0"–"4",
  ISO dates with ASCII digits, ASCII emails and CRNs): `lower()`/`upper()` are then the
  same in both. A file with "02" or a CRN in another script takes the slow path.
- Each distinct date, PDU code, email and answer is checked by the same Python rules as
  `check_extract`; criteria are worked out by `rules.CRITERIA` on each distinct
  combination of a criterion's own source values, then applied in SQL.
"""

import csv
import itertools
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import psycopg
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction

from .extract import EXTRACT_COLUMNS, FLAG_COLUMNS, STAFF_CODE, CheckedExtract
from .rules import CRITERIA, ROSH_LEVELS

# Every character Python's str.strip() removes.
WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
_QUOTED = re.compile(rb'"(?:[^"]|"")*"')
_ASCII_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ASCII_EMAIL = re.compile(r"[!-~]+")


def _literal(text: str) -> str:
    if "\\" in text:
        raise _NotSure  # keep literals plain whatever standard_conforming_strings says
    return "'" + text.replace("'", "''") + "'"


def plain_csv(data: bytes) -> bool:
    """Would PostgreSQL's CSV COPY split this file exactly as Python's csv module does?"""
    if b"\\." in data or b"\x00" in data:
        return False
    carriage_returns = data.count(b"\r")
    if carriage_returns and (
        carriage_returns != data.count(b"\r\n") or carriage_returns != data.count(b"\n")
    ):
        return False
    if b"\n\n" in data or b"\r\n\r\n" in data:
        return False
    quotes = data.count(b'"')
    if not quotes:
        return True
    inside = 0
    for match in _QUOTED.finditer(data):
        start, end = match.span()
        if start and data[start - 1] not in b",\n":
            return False
        if end < len(data) and data[end] not in b",\r\n":
            return False
        field = match.group()
        if b"\n" in field or b"\r" in field:
            return False
        inside += field.count(b'"')
    return inside == quotes


def fast_check(
    data: bytes, *, sha256: str, known_pdu_codes: set[str], today: date, table: str
) -> CheckedExtract | None:
    """COPY `data` into `<table>_raw` and leave the view `table` of typed rows
    (`extract.CHECKED_COLUMNS` and `ok`, false for a row check_extract might refuse), with
    what `check_extract` would return. None, with nothing left behind, whenever in doubt.

    The row checks are left to the import's one pass over the view (services._resolve),
    which falls back to check_extract if any row is not `ok` or a value cannot be cast (an
    impossible date: the cast is the check).
    """
    header = _header(data)
    if header is None:
        return None
    raw = f"{table}_raw"
    # Whether the file is plain is worked out on the other core while PostgreSQL parses it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        plain = pool.submit(plain_csv, data)
        try:
            with transaction.atomic():
                _copy_raw(data, header, raw)
                if not plain.result():
                    raise _NotSure
                checked = _check(raw, sha256, today, known_pdu_codes)
                if checked is None:
                    raise _NotSure
                _create_view(table, raw, _criteria_expression(raw), known_pdu_codes, today)
                with connection.cursor() as cursor:
                    # Statistics, so that the import's pass over the view can use both cores.
                    cursor.execute(f"ANALYZE {raw} (crn)")
                    # Each person once (the slow path says which lines, if not).
                    cursor.execute(
                        f"SELECT EXISTS (SELECT FROM {raw} GROUP BY crn HAVING count(*) > 1)"  # noqa: S608
                    )
                    if cursor.fetchone()[0]:
                        raise _NotSure
                return checked
        except (_NotSure, DatabaseError, psycopg.Error):
            return None  # a COPY error is raised by psycopg itself, not through Django


class _NotSure(Exception):
    pass


def _header(data: bytes) -> list[str] | None:
    """The staging column for each of the file's columns, or None if the header is not plain."""
    try:
        first = data.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    try:
        names = [name.strip().lower() for name in next(csv.reader([first]), [])]
    except csv.Error:
        return None  # e.g. a lone carriage return: check_extract says what is wrong
    if any(names.count(name) > 1 for name in EXTRACT_COLUMNS) or not set(EXTRACT_COLUMNS) <= set(
        names
    ):
        return None  # check_extract reports the header's problems
    return [name if name in EXTRACT_COLUMNS else f"extra_{i}" for i, name in enumerate(names)]


def _copy_raw(data: bytes, header: Sequence[str], raw: str) -> None:
    columns = ", ".join(header)
    definitions = ", ".join(f"{name} text" for name in header)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE {raw} (ordinal bigint GENERATED ALWAYS AS IDENTITY, {definitions})"
        )
        with cursor.cursor.copy(
            f"COPY {raw} ({columns}) FROM STDIN (FORMAT csv, HEADER true, ENCODING 'UTF8')"
        ) as copy:
            view = memoryview(data)
            for start in range(0, len(data), 1 << 20):
                copy.write(view[start : start + (1 << 20)])


# SQL conditions on one raw row, each as strict as check_extract or stricter ({ws}, {today}
# and {pdus} are filled in as literals); ascii() is a character's code point (0 for '').
def _unpadded(column: str) -> str:
    """Present, and neither starts nor ends with anything str.strip() removes."""
    end = f"right({column}, 1)"
    return (
        f"ascii({column}) > 32 AND (ascii({column}) < 128 OR strpos({{ws}}, left({column}, 1)) = 0)"
        f" AND ascii({end}) > 32 AND (ascii({end}) < 128 OR strpos({{ws}}, {end}) = 0)"
    )


def _iso_shape(column: str) -> str:
    """NNNN-NN-NN in ASCII digits (whether it is a real date, the cast to date says)."""
    return (
        f"char_length({column}) = 10 AND substr({column}, 5, 1) = '-' AND substr({column}, 8, 1) = '-'"
        f" AND translate({column}, '0123456789', '') = '--'"
    )


def _one_of(column: str, values: Sequence[str], *, ascii_lower: bool = False) -> str:
    listed = ", ".join(_literal(v) for v in values)
    if ascii_lower:  # lower() of ASCII is the same in Python and PostgreSQL
        return f"octet_length({column}) = char_length({column}) AND lower({column}) IN ({listed})"
    return f"{column} IN ({listed})"


ROW_CHECKS = [
    # CRN: capital letter and six digits (lower case, other scripts: the slow path).
    "ascii(crn) BETWEEN 65 AND 90 AND char_length(crn) = 7 AND translate(substr(crn, 2), '0123456789', '') = ''",
    _unpadded("surname"), "char_length(surname) <= 100",
    _unpadded("forenames"), "char_length(forenames) <= 100",
    _iso_shape("extract_date"),  # and every row's the same: min = max, in _check
    _iso_shape("date_of_birth"), "date_of_birth >= '1900-01-01' AND date_of_birth < {today}",
    "pdu_code IN ({pdus})",
    _one_of("custody_status", ("community", "custody"), ascii_lower=True),
    f"(expected_release_date IS NULL OR expected_release_date = '' OR ({_iso_shape('expected_release_date')}))",
    f"(rosh_level IS NULL OR rosh_level = '' OR ({_one_of('rosh_level', ROSH_LEVELS, ascii_lower=True)}))",
    *(_one_of(column, ("Y", "y", "N", "n")) for column in FLAG_COLUMNS),
    _one_of("oasys_4_8_learning_difficulties", ("0", "1", "2")),
    "(mappa_level IS NULL OR mappa_level IN ('', '1', '2', '3'))",
    "(mappa_category IS NULL OR mappa_category IN ('', '1', '2', '3', '4'))",
    _unpadded("sentence_type"), "char_length(sentence_type) <= 20",
    # The rest of a practitioner's values are checked once each, in Python, in _check.
    "pp_staff_code IS NOT NULL AND pp_email IS NOT NULL AND pp_name IS NOT NULL",
]  # fmt: skip


def _check(raw: str, sha256: str, today: date, known_pdu_codes: set[str]) -> CheckedExtract | None:
    """The extract date and each practitioner's values, once each, by check_extract's rules.

    A practitioner's PDU must be known here, not only in the landing's pass: the practitioners
    are written first, each into their PDU.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*), min(extract_date), max(extract_date),
                count(*) FILTER (WHERE extract_date IS NULL)
            FROM {raw}
            """  # noqa: S608
        )
        count, first_date, last_date, missing = cursor.fetchone()
        if not count or missing or first_date != last_date:
            return None
        extract_date = _iso(first_date)
        if extract_date is None or extract_date > today:
            return None
        # Each practitioner's values, once each: the newest row's PDU is theirs.
        cursor.execute(
            f"""
            SELECT pp_staff_code, pp_email, pp_name, pdu_code, max(ordinal) + 1 FROM {raw}
            GROUP BY pp_staff_code, pp_email, pp_name, pdu_code
            """  # noqa: S608
        )
        combinations = cursor.fetchall()
    practitioners: dict[str, tuple[str, str, str, int]] = {}
    code_for_email: dict[str, str] = {}
    for code, email, name, pdu_code, line in sorted(combinations, key=lambda c: c[4]):
        if not (
            code is not None
            and name is not None
            and STAFF_CODE.fullmatch(code)
            and _email_ok(email)
            and name == name.strip()
            and 0 < len(name) <= 200
            and pdu_code in known_pdu_codes
        ):
            return None
        email = email.lower()
        known = practitioners.get(code)
        if known is not None and (known[0], known[1]) != (email, name):
            return None  # check_extract: a staff code with two names or emails
        if code_for_email.setdefault(email, code) != code:
            return None  # check_extract: one email for two staff codes
        practitioners[code] = (email, name, pdu_code, line)
    return CheckedExtract(
        extract_date=extract_date, row_count=count, sha256=sha256, practitioners=practitioners
    )


def _iso(value: str | None) -> date | None:
    if value is None or not _ASCII_ISO.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _email_ok(value: str | None) -> bool:
    if value is None or len(value) > 254 or not _ASCII_EMAIL.fullmatch(value):
        return False
    try:
        validate_email(value.lower())
    except ValidationError:
        return False
    return True


# Each source column typed in SQL exactly as check_extract types it (given ROW_CHECKS), and
# the values it can then take (sentence_type: whatever the file has).
TYPED = {
    "rosh_level": "lower(coalesce(rosh_level, ''))",
    **{column: f"({column} IN ('Y', 'y'))" for column in FLAG_COLUMNS},
    "oasys_4_8_learning_difficulties": "oasys_4_8_learning_difficulties::smallint",
    "mappa_level": "nullif(mappa_level, '')::smallint",
    "mappa_category": "nullif(mappa_category, '')::smallint",
    "sentence_type": "sentence_type",
}
DOMAINS = {
    "rosh_level": ("", *ROSH_LEVELS),
    **{column: (False, True) for column in FLAG_COLUMNS},
    "oasys_4_8_learning_difficulties": (0, 1, 2),
    "mappa_level": (None, 1, 2, 3),
    "mappa_category": (None, 1, 2, 3, 4),
}


def _criteria_expression(raw: str) -> str:
    """SQL for criteria_met: each criterion's own rule (rules.CRITERIA), run in Python on every
    value its source columns can take, the values that meet it spelt out for SQL."""
    domains = dict(DOMAINS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT sentence_type FROM {raw}")  # noqa: S608
        domains["sentence_type"] = tuple(value for (value,) in cursor)
    parts = []
    for criterion in CRITERIA:
        met = [
            combination
            for combination in itertools.product(*(domains[c] for c in criterion.sources))
            if criterion.is_met(dict(zip(criterion.sources, combination, strict=True)))
        ]
        if not met:
            continue
        if len(criterion.sources) == 1:
            (column,) = criterion.sources
            values = [value for (value,) in met]
            tests = (
                [
                    f"{TYPED[column]} IN ({', '.join(_sql_value(v) for v in values if v is not None)})"
                ]
                if any(v is not None for v in values)
                else []
            )
            if None in values:
                tests.append(f"{TYPED[column]} IS NULL")
            test = " OR ".join(tests)
        elif all(c in FLAG_COLUMNS for c in criterion.sources):
            # Yes/no columns as the bits of a number: one comparison with the numbers that meet it.
            bits = " + ".join(
                f"{TYPED[c]}::int * {1 << i}" for i, c in enumerate(criterion.sources)
            )
            numbers = sorted(sum(int(v) << i for i, v in enumerate(combo)) for combo in met)
            test = f"({bits}) IN ({', '.join(map(str, numbers))})"
        else:
            test = " OR ".join(
                "(" + " AND ".join(_equals(TYPED[c], v) for c, v in zip(criterion.sources, combo, strict=True)) + ")"
                for combo in met
            )  # fmt: skip
        parts.append(f"CASE WHEN {test} THEN {criterion.number} END")
    if not parts:
        return "'{}'::smallint[]"
    return f"array_remove(ARRAY[{', '.join(parts)}]::smallint[], NULL)"


def _sql_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    return _literal(value)


def _equals(expression: str, value) -> str:
    """`expression` equals the literal `value`."""
    if value is None:
        return f"{expression} IS NULL"
    return f"{expression} = {_sql_value(value)}"


def _create_view(
    table: str, raw: str, criteria: str, known_pdu_codes: set[str], today: date
) -> None:
    typed = ", ".join(f"{TYPED[c]} AS {c}" for c in TYPED)
    ok = " AND ".join(f"coalesce({condition}, false)" for condition in ROW_CHECKS).format(
        ws=_literal(WHITESPACE),
        today=_literal(today.isoformat()),
        pdus=", ".join(_literal(code) for code in sorted(known_pdu_codes)) or "NULL",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE VIEW {table} AS
            SELECT ordinal + 1 AS line, crn::varchar(7) AS crn, surname, forenames,
                date_of_birth::date AS date_of_birth, pdu_code, pp_staff_code, pp_name,
                lower(pp_email) AS pp_email, lower(custody_status) AS custody_status,
                nullif(expected_release_date, '')::date AS expected_release_date,
                {typed}, {criteria} AS criteria_met,
                cardinality({criteria})::smallint AS criteria_met_count, {ok} AS ok
            FROM {raw}
            """  # noqa: S608 - built from this module's constants and checked values
        )


__all__ = ["WHITESPACE", "fast_check", "plain_csv"]
