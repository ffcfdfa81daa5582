"""Reading and checking the monthly extract (DOMAIN.md, "The monthly extract").

`check_extract` reads every row once, collects every problem (line, column, value, reason
in plain English) and hands each clean row to its caller as it goes (the import COPYs them
into a staging table), so a 250,000-row file is never held in memory. It writes nothing
itself; the caller throws away what it was given if the file is rejected.
"""

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from complexcases.core.csvimport import ImportProblem, ImportRejected, read_csv_columns

from .rules import ROSH_LEVELS, criteria_met

EXTRACT_COLUMNS = (
    "extract_date",
    "crn",
    "surname",
    "forenames",
    "date_of_birth",
    "pdu_code",
    "pp_staff_code",
    "pp_name",
    "pp_email",
    "custody_status",
    "expected_release_date",
    "rosh_level",
    "reg_mental_health_issues",
    "reg_mentally_disordered_offender",
    "oasys_10_psychological_problems",
    "oasys_10_psychiatric_problems",
    "reg_suicide_self_harm",
    "oasys_10_5_self_harm",
    "rosh_r3_self_harm",
    "oasys_4_8_learning_difficulties",
    "mappa_level",
    "mappa_category",
    "opd_screened_in",
    "oasys_alcohol_need",
    "oasys_drugs_need",
    "sentence_type",
)
FLAG_COLUMNS = (
    "reg_mental_health_issues",
    "reg_mentally_disordered_offender",
    "oasys_10_psychological_problems",
    "oasys_10_psychiatric_problems",
    "reg_suicide_self_harm",
    "oasys_10_5_self_harm",
    "rosh_r3_self_harm",
    "opd_screened_in",
    "oasys_alcohol_need",
    "oasys_drugs_need",
)
PERSONAL_COLUMNS = frozenset({"crn", "surname", "forenames", "date_of_birth"})
CRN = re.compile(r"^[A-Z][0-9]{6}$")
STAFF_CODE = re.compile(r"^[A-Za-z0-9]{1,20}$")
PROGRESS_EVERY = 2000


# What `check_extract` hands on for each clean row, in this order (see services.STAGING_COLUMNS).
CHECKED_COLUMNS = (
    "line", "crn", "surname", "forenames", "date_of_birth", "pdu_code", "pp_staff_code", "pp_name",
    "pp_email", "custody_status", "expected_release_date", "rosh_level", *FLAG_COLUMNS,
    "oasys_4_8_learning_difficulties", "mappa_level", "mappa_category", "sentence_type",
    "criteria_met", "criteria_met_count",
)  # fmt: skip
# The order `check_extract` reads the columns in (the order its checks, and so its problems, go).
READ_ORDER = (
    *EXTRACT_COLUMNS[:12], *FLAG_COLUMNS,
    "oasys_4_8_learning_difficulties", "mappa_level", "mappa_category", "sentence_type",
)  # fmt: skip
SOURCE_VALUE_COLUMNS = READ_ORDER[11:]  # rosh_level, the flags, the numbers, the sentence type
_FLAGS = {"Y": True, "y": True, "N": False, "n": False}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INVALID = object()


@dataclass(frozen=True)
class CheckedExtract:
    extract_date: date
    row_count: int
    sha256: str
    practitioners: dict[str, tuple[str, str, str, int]]  # staff code → email, name, PDU, last line


class _Sha256Reader(io.RawIOBase):
    """Reads a binary stream through, hashing what passes (so the file is read once)."""

    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.hash.update(data)
        buffer[: len(data)] = data
        return len(data)


def _binary_stream(source: IO | str | bytes):
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str):
        return open(source, "rb")
    return source


def check_extract(
    source: IO | str | bytes,
    *,
    known_pdu_codes: set[str],
    today: date,
    write_row: Callable[[tuple], None],
    progress: Callable[[int], None] | None = None,
) -> CheckedExtract:
    """Check every row in one pass; raise ImportRejected listing every problem, or hand each clean row on.

    `write_row` receives each row as a tuple in CHECKED_COLUMNS order (typed, with the criteria
    met worked out) until the first problem; the caller discards what it was given if this
    raises. Nothing but the problems and a few small lookups is held in memory.
    """
    problems: list[ImportProblem] = []
    add = problems.append
    extract_date: date | None = None
    extract_date_text = ""
    extract_date_line = 0
    crn_lines: dict[str, int] = {}
    staff_seen: dict[str, tuple[int, str, str]] = {}
    email_codes: dict[str, tuple[int, str]] = {}
    # Values repeat (dates, staff, answers): check each distinct one once.
    dates: dict[str, object] = {}
    emails: dict[str, bool] = {}
    answers_seen: dict[tuple, tuple] = {}
    practitioners: dict[str, tuple[str, str, str, int]] = {}  # code → email, name, PDU, last line
    pdus = frozenset(known_pdu_codes)
    earliest_birth = date(1900, 1, 1)
    count = 0

    def iso(value: str):
        parsed = dates.get(value)
        if parsed is None:
            try:
                if not _ISO_DATE.fullmatch(value):
                    raise ValueError
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = _INVALID
            dates[value] = parsed
        return parsed

    def email_ok(value: str) -> bool:
        ok = emails.get(value)
        if ok is None:
            try:
                validate_email(value)
                ok = True
            except ValidationError:
                ok = False
            emails[value] = ok
        return ok

    raw = _binary_stream(source)
    hashing = _Sha256Reader(raw)
    try:
        rows = read_csv_columns(
            io.BufferedReader(hashing, 1 << 20),
            columns=READ_ORDER,
            required_columns=EXTRACT_COLUMNS,
            problems=problems,
        )
        for line, cells in rows:
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            (
                row_date_text, crn, surname, forenames, birth_text, pdu_code, staff_code, pp_name,
                pp_email_text, custody_text, release_text,
            ) = cells[:11]  # fmt: skip

            def problem(column: str, message: str, value: str = "", line=line) -> None:
                add(ImportProblem(line, column, value, message))

            # extract_date
            if not row_date_text:
                problem("extract_date", "Enter the extract date as YYYY-MM-DD")
            elif row_date_text != extract_date_text or extract_date is None:
                row_date = iso(row_date_text)
                if row_date is _INVALID:
                    problem(
                        "extract_date",
                        "The extract date must be a real date written as YYYY-MM-DD",
                        row_date_text,
                    )
                else:
                    if extract_date is None:
                        extract_date, extract_date_line = row_date, line
                        extract_date_text = row_date_text
                    elif row_date != extract_date:
                        problem(
                            "extract_date",
                            f"Every row must have the same extract date as line {extract_date_line}",
                            row_date_text,
                        )
                    if row_date > today:
                        problem(
                            "extract_date",
                            "The extract date cannot be in the future",
                            row_date_text,
                        )
            elif extract_date > today:
                problem("extract_date", "The extract date cannot be in the future", row_date_text)

            # crn (never echoed back, nor any other identifying value)
            crn = crn.upper()
            if not CRN.match(crn):
                problem("crn", "A CRN is one letter and six digits, like X123456")
            elif crn in crn_lines:
                problem(
                    "crn",
                    f"This CRN is also on line {crn_lines[crn]}; each person must appear once",
                )
            else:
                crn_lines[crn] = line

            for column, value, label in (
                ("surname", surname, "surname"),
                ("forenames", forenames, "forenames"),
            ):
                if not value:
                    problem(column, f"Enter the {label}")
                elif len(value) > 100:
                    problem(column, f"The {label} must be 100 characters or fewer")

            birth = None
            if not birth_text:
                problem("date_of_birth", "Enter the date of birth as YYYY-MM-DD")
            else:
                birth = iso(birth_text)
                if birth is _INVALID:
                    birth = None
                    problem(
                        "date_of_birth",
                        "The date of birth must be a real date written as YYYY-MM-DD",
                    )
                elif not (earliest_birth <= birth < today):
                    problem("date_of_birth", "The date of birth must be in the past and after 1900")

            if pdu_code not in pdus:
                problem(
                    "pdu_code",
                    "This PDU code is not known to the service; import the organisation first",
                    pdu_code,
                )

            if not STAFF_CODE.match(staff_code):
                problem(
                    "pp_staff_code",
                    "Enter the practitioner's staff code (letters and digits only)",
                    staff_code,
                )
            if not pp_name:
                problem("pp_name", "Enter the practitioner's name")
            elif len(pp_name) > 200:
                problem(
                    "pp_name", "The practitioner's name must be 200 characters or fewer", pp_name
                )
            pp_email = pp_email_text.lower()
            if not email_ok(pp_email):
                problem(
                    "pp_email",
                    "Enter the practitioner's email address, like name@example.com",
                    pp_email_text,
                )
            seen = staff_seen.get(staff_code)
            if seen is None:
                staff_seen[staff_code] = (line, pp_email, pp_name)
            elif seen[1] != pp_email or seen[2] != pp_name:
                problem(
                    "pp_email",
                    f"Staff code {staff_code} has a different name or email on line {seen[0]}",
                    pp_email_text,
                )
            codes = email_codes.get(pp_email)
            if codes is None:
                email_codes[pp_email] = (line, staff_code)
            elif codes[1] != staff_code:
                problem(
                    "pp_email",
                    f"This email is used for staff code {codes[1]} on line {codes[0]}",
                    pp_email_text,
                )

            custody_status = custody_text.lower()
            if custody_status not in ("community", "custody"):
                problem("custody_status", "Must be community or custody", custody_text)

            release = None
            if release_text:
                release = iso(release_text)
                if release is _INVALID:
                    release = None
                    problem(
                        "expected_release_date",
                        "The expected release date must be a real date written as YYYY-MM-DD",
                        release_text,
                    )

            # The criteria's source values: few distinct combinations, so each is checked once.
            answers = cells[11:]
            checked_answers = answers_seen.get(answers)
            if checked_answers is None:
                checked_answers = answers_seen[answers] = _check_answers(answers)
            values_met, answer_problems = checked_answers
            for column, message, value in answer_problems:
                problem(column, message, value)

            if problems:
                continue  # the file will be rejected: only the checking goes on
            practitioners[staff_code] = (pp_email, pp_name, pdu_code, line)
            write_row(
                (
                    line, crn, surname, forenames, birth, pdu_code, staff_code, pp_name, pp_email,
                    custody_status, release, *values_met,
                )
            )  # fmt: skip
    finally:
        if isinstance(source, str):
            raw.close()

    if extract_date is None and not problems:
        problems.append(ImportProblem(None, "", "", "The file has no rows to import"))
    if problems:
        raise ImportRejected(problems)
    return CheckedExtract(
        extract_date=extract_date,
        row_count=count,
        sha256=hashing.hash.hexdigest(),
        practitioners=practitioners,
    )


def _check_answers(answers: tuple[str, ...]) -> tuple[tuple, list[tuple[str, str, str]]]:
    """One row's criteria source values: (typed values + criteria met, problems as (column, message, value))."""
    rosh_text, *flag_texts = answers[:11]
    learning_text, mappa_level_text, mappa_category_text, sentence_type = answers[11:]
    problems = []
    rosh_level = rosh_text.lower()
    if rosh_level and rosh_level not in ROSH_LEVELS:
        problems.append(
            ("rosh_level", "Must be low, medium, high, very_high or empty (unknown)", rosh_text)
        )
    flags = []
    for column, value in zip(FLAG_COLUMNS, flag_texts, strict=True):
        flag = _FLAGS.get(value)
        if flag is None:
            flag = _FLAGS.get(value.upper())
            if flag is None:
                problems.append((column, "Must be Y or N", value))
        flags.append(flag)
    learning = _number(learning_text, (0, 1, 2))
    if learning is None:
        problems.append(("oasys_4_8_learning_difficulties", "Must be 0, 1 or 2", learning_text))
    mappa_level = None
    if mappa_level_text:
        mappa_level = _number(mappa_level_text, (1, 2, 3))
        if mappa_level is None:
            problems.append(("mappa_level", "Must be 1, 2, 3 or empty", mappa_level_text))
    mappa_category = None
    if mappa_category_text:
        mappa_category = _number(mappa_category_text, (1, 2, 3, 4))
        if mappa_category is None:
            problems.append(("mappa_category", "Must be 1, 2, 3, 4 or empty", mappa_category_text))
    if not sentence_type:
        problems.append(("sentence_type", "Enter the sentence type", ""))
    elif len(sentence_type) > 20:
        problems.append(
            ("sentence_type", "The sentence type must be 20 characters or fewer", sentence_type)
        )
    if problems:
        return (), problems
    values = (rosh_level, *flags, learning, mappa_level, mappa_category, sentence_type)
    numbers = criteria_met(dict(zip(SOURCE_VALUE_COLUMNS, values, strict=True)))
    return (*values, "{" + ",".join(map(str, numbers)) + "}", len(numbers)), []


def _number(value: str, allowed: tuple[int, ...]) -> int | None:
    if value.isdigit():
        try:
            number = int(value)
        except ValueError:  # a digit Python cannot read as a number, like "²"
            return None
        if number in allowed:
            return number
    return None


def split_staff_name(name: str) -> tuple[str, str]:
    """'Surname, Forenames' (HMPPS style) or 'Forenames Surname' → (first name, last name)."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    parts = name.split()
    return " ".join(parts[:-1]), parts[-1] if parts else ""
