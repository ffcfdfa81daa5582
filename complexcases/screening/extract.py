"""Reading and checking the monthly extract (DOMAIN.md, "The monthly extract").

`check_extract` reads every row, collects every problem (line, column, value, reason in
plain English) and returns clean rows only when there are none. It writes nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from complexcases.core.csvimport import ImportProblem, ImportRejected, read_csv

from .rules import ROSH_LEVELS

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


@dataclass(frozen=True, slots=True)
class ExtractRow:
    line: int
    crn: str
    surname: str
    forenames: str
    date_of_birth: date
    pdu_code: str
    pp_staff_code: str
    pp_name: str
    pp_email: str
    custody_status: str
    expected_release_date: date | None
    values: dict  # the criteria source values, typed (see rules.SOURCE_COLUMNS)


@dataclass(frozen=True)
class CheckedExtract:
    extract_date: date
    rows: list[ExtractRow]


class _RowChecker:
    """Turns one row's text into typed values, noting a problem for each bad cell."""

    def __init__(self, row, problems: list[ImportProblem]):
        self.row = row
        self.problems = problems

    def problem(self, column: str, message: str) -> None:
        # Problems are shown, kept on the upload and printed: never repeat who the row is about.
        value = "" if column in PERSONAL_COLUMNS else self.row[column]
        self.problems.append(ImportProblem(self.row.line, column, value, message))

    def text(self, column: str, *, max_length: int, label: str) -> str:
        value = self.row[column]
        if not value:
            self.problem(column, f"Enter the {label}")
        elif len(value) > max_length:
            self.problem(column, f"The {label} must be {max_length} characters or fewer")
        return value

    def iso_date(self, column: str, *, label: str, required: bool = True) -> date | None:
        value = self.row[column]
        if not value:
            if required:
                self.problem(column, f"Enter the {label} as YYYY-MM-DD")
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"The {label} must be a real date written as YYYY-MM-DD")
            return None

    def flag(self, column: str) -> bool | None:
        value = self.row[column].upper()
        if value in ("Y", "N"):
            return value == "Y"
        self.problem(column, "Must be Y or N")
        return None

    def choice(
        self, column: str, allowed: tuple[str, ...], *, allow_empty: bool, message: str
    ) -> str | None:
        value = self.row[column].lower()
        if (allow_empty and value == "") or value in allowed:
            return value
        self.problem(column, message)
        return None

    def number(
        self, column: str, allowed: tuple[int, ...], *, allow_empty: bool, message: str
    ) -> int | None:
        value = self.row[column]
        if value == "" and allow_empty:
            return None
        if value.isdigit() and int(value) in allowed:
            return int(value)
        self.problem(column, message)
        return None


def check_extract(
    source: IO | str | bytes,
    *,
    known_pdu_codes: set[str],
    today: date,
    progress: Callable[[int], None] | None = None,
) -> CheckedExtract:
    """Check every row of an extract; raise ImportRejected listing every problem, or return clean rows."""
    problems: list[ImportProblem] = []
    rows: list[ExtractRow] = []
    extract_date: date | None = None
    extract_date_line = 0
    crn_lines: dict[str, int] = {}
    staff_seen: dict[str, tuple[int, str, str]] = {}
    email_codes: dict[str, tuple[int, str]] = {}

    for count, row in enumerate(
        read_csv(source, required_columns=EXTRACT_COLUMNS, problems=problems), start=1
    ):
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        before = len(problems)
        check = _RowChecker(row, problems)

        row_date = check.iso_date("extract_date", label="extract date")
        if row_date is not None:
            if extract_date is None:
                extract_date, extract_date_line = row_date, row.line
            elif row_date != extract_date:
                check.problem(
                    "extract_date",
                    f"Every row must have the same extract date as line {extract_date_line}",
                )
            if row_date > today:
                check.problem("extract_date", "The extract date cannot be in the future")

        crn = row["crn"].upper()
        if not CRN.match(crn):
            check.problem("crn", "A CRN is one letter and six digits, like X123456")
        elif crn in crn_lines:
            check.problem(
                "crn", f"This CRN is also on line {crn_lines[crn]}; each person must appear once"
            )
        else:
            crn_lines[crn] = row.line

        surname = check.text("surname", max_length=100, label="surname")
        forenames = check.text("forenames", max_length=100, label="forenames")
        date_of_birth = check.iso_date("date_of_birth", label="date of birth")
        if date_of_birth is not None and not (date(1900, 1, 1) <= date_of_birth < today):
            check.problem("date_of_birth", "The date of birth must be in the past and after 1900")

        pdu_code = row["pdu_code"]
        if pdu_code not in known_pdu_codes:
            check.problem(
                "pdu_code",
                "This PDU code is not known to the service; import the organisation first",
            )

        staff_code = row["pp_staff_code"]
        if not STAFF_CODE.match(staff_code):
            check.problem(
                "pp_staff_code", "Enter the practitioner's staff code (letters and digits only)"
            )
        pp_name = check.text("pp_name", max_length=200, label="practitioner's name")
        pp_email = row["pp_email"].lower()
        try:
            validate_email(pp_email)
        except ValidationError:
            check.problem(
                "pp_email", "Enter the practitioner's email address, like name@example.com"
            )
        if staff_code in staff_seen and staff_seen[staff_code][1:] != (pp_email, pp_name):
            check.problem(
                "pp_email",
                f"Staff code {staff_code} has a different name or email on line {staff_seen[staff_code][0]}",
            )
        staff_seen.setdefault(staff_code, (row.line, pp_email, pp_name))
        if pp_email in email_codes and email_codes[pp_email][1] != staff_code:
            line, other_code = email_codes[pp_email]
            check.problem(
                "pp_email", f"This email is used for staff code {other_code} on line {line}"
            )
        email_codes.setdefault(pp_email, (row.line, staff_code))

        custody_status = check.choice(
            "custody_status",
            ("community", "custody"),
            allow_empty=False,
            message="Must be community or custody",
        )
        release_date = check.iso_date(
            "expected_release_date", label="expected release date", required=False
        )
        rosh_level = check.choice(
            "rosh_level",
            ROSH_LEVELS,
            allow_empty=True,
            message="Must be low, medium, high, very_high or empty (unknown)",
        )
        flags = {column: check.flag(column) for column in FLAG_COLUMNS}
        learning = check.number(
            "oasys_4_8_learning_difficulties",
            (0, 1, 2),
            allow_empty=False,
            message="Must be 0, 1 or 2",
        )
        mappa_level = check.number(
            "mappa_level", (1, 2, 3), allow_empty=True, message="Must be 1, 2, 3 or empty"
        )
        mappa_category = check.number(
            "mappa_category", (1, 2, 3, 4), allow_empty=True, message="Must be 1, 2, 3, 4 or empty"
        )
        sentence_type = check.text("sentence_type", max_length=20, label="sentence type")

        if len(problems) == before:
            rows.append(
                ExtractRow(
                    line=row.line,
                    crn=crn,
                    surname=surname,
                    forenames=forenames,
                    date_of_birth=date_of_birth,
                    pdu_code=pdu_code,
                    pp_staff_code=staff_code,
                    pp_name=pp_name,
                    pp_email=pp_email,
                    custody_status=custody_status,
                    expected_release_date=release_date,
                    values={
                        "rosh_level": rosh_level,
                        **flags,
                        "oasys_4_8_learning_difficulties": learning,
                        "mappa_level": mappa_level,
                        "mappa_category": mappa_category,
                        "sentence_type": sentence_type,
                    },
                )
            )

    if extract_date is None and not problems:
        problems.append(ImportProblem(None, "", "", "The file has no rows to import"))
    if problems:
        raise ImportRejected(problems)
    return CheckedExtract(extract_date=extract_date, rows=rows)


def split_staff_name(name: str) -> tuple[str, str]:
    """'Surname, Forenames' (HMPPS style) or 'Forenames Surname' → (first name, last name)."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    parts = name.split()
    return " ".join(parts[:-1]), parts[-1] if parts else ""
