"""Importing the monthly extract: all or nothing, every problem reported, reimport changes nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from complexcases.core.csvimport import ImportRejected
from complexcases.core.models import AccessLogEntry
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.screening.models import Extract, Screening
from complexcases.screening.services import extract_import
from tests.factories import UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db


def do_import(rows, **kwargs):
    return extract_import(
        source=extract_csv(rows), filename="extract.csv", imported_by=None, **kwargs
    )


def test_an_extract_creates_people_screenings_and_inactive_practitioners(pdus):
    result = do_import(
        [
            row(crn="X000001", **SIX_CRITERIA),
            row(
                crn="x000002",
                pp_staff_code="C02P009",
                pp_name="Okafor, Sam",
                pp_email="Sam.Okafor@example.com",
                pdu_code="CAMBS",
            ),
        ]
    )
    assert (result.people_created, result.people_updated, result.staff_created) == (2, 0, 2)
    listed = Screening.objects.get(person__crn="X000001")
    assert listed.criteria_met == [1, 2, 3, 4, 5, 6]
    assert listed.criteria_met_count == 6
    assert listed.as_at.isoformat() == "2026-10-01"
    assert Screening.objects.get(person__crn="X000002").criteria_met == []
    sam = User.objects.get(staff_code="C02P009")
    assert (sam.first_name, sam.last_name, sam.email) == ("Sam", "Okafor", "sam.okafor@example.com")
    assert not sam.is_active
    assert not sam.has_usable_password()
    assert sam.role_names == [Role.PROBATION_PRACTITIONER]
    assert Person.objects.get(crn="X000002").practitioner == sam
    # Collection is logged per person, in the same transaction.
    assert AccessLogEntry.objects.filter(action="collection", record_type="screening").count() == 2


def test_a_known_practitioner_is_matched_by_staff_code(pdus):
    priya = UserFactory(staff_code="N01P001", email="priya.hughes@example.com")
    result = do_import([row()])
    assert result.staff_created == 0
    assert Person.objects.get().practitioner == priya


def test_importing_the_same_file_again_changes_nothing(pdus):
    content = extract_csv([row(**SIX_CRITERIA), row(crn="X000002")])
    extract_import(source=content, filename="a.csv", imported_by=None)
    before = (
        Person.objects.count(),
        Screening.objects.count(),
        User.objects.count(),
        AccessLogEntry.objects.count(),
    )
    updated_at = Person.objects.get(crn="X000001").updated_at
    result = extract_import(source=content, filename="a.csv", imported_by=None)
    assert result.unchanged
    assert "already imported" in result.summary
    after = (
        Person.objects.count(),
        Screening.objects.count(),
        User.objects.count(),
        AccessLogEntry.objects.count(),
    )
    assert before == after
    assert Person.objects.get(crn="X000001").updated_at == updated_at


def test_a_different_file_with_the_same_date_is_refused(pdus):
    do_import([row()])
    with pytest.raises(
        ImportRejected, match="A different extract with this date has already been imported"
    ):
        do_import([row(surname="Changed")])
    assert Person.objects.get().surname == "Example"


def test_a_later_extract_updates_people_and_adds_source_values(pdus):
    do_import([row(**SIX_CRITERIA)])
    later = {**SIX_CRITERIA, "rosh_level": "low"}
    result = do_import(
        [
            row(
                extract_date="2026-11-01",
                surname="Renamed",
                custody_status="custody",
                expected_release_date="2027-02-01",
                **later,
            )
        ]
    )
    assert (result.people_created, result.people_updated) == (0, 1)
    person = Person.objects.get()
    assert (person.surname, person.custody_status, str(person.expected_release_date)) == (
        "Renamed",
        "custody",
        "2027-02-01",
    )
    assert list(person.screenings.order_by("as_at").values_list("as_at", "criteria_met_count")) == [
        (Extract.objects.get(extract_date="2026-10-01").extract_date, 6),
        (Extract.objects.get(extract_date="2026-11-01").extract_date, 5),
    ]


def test_an_older_extract_is_refused_and_nothing_changes(pdus):
    do_import([row(extract_date="2026-11-01", surname="Newer")])
    before = (Extract.objects.count(), Screening.objects.count(), AccessLogEntry.objects.count())
    with pytest.raises(ImportRejected) as rejected:
        do_import([row(extract_date="2026-10-01", surname="Older")])
    assert [(p.column, p.message) for p in rejected.value.problems] == [
        (
            "extract_date",
            "Extracts are imported in date order and the one as at 1 November 2026 is already in:"
            " this one is older",
        )
    ]
    assert Person.objects.get().surname == "Newer"
    assert (Extract.objects.count(), Screening.objects.count(), AccessLogEntry.objects.count()) == (
        before
    )


def test_screenings_are_versions_written_only_when_something_changes(pdus):
    """Unchanged: nothing written. Changed values or PDU: the old version closes, a new one
    opens. Not in the extract: the version closes. Each written version is logged."""
    do_import(
        [
            row(crn="X000001", **SIX_CRITERIA),
            row(crn="X000002"),
            row(crn="X000003"),
            row(crn="X000004"),
        ]
    )
    result = do_import(
        [
            row(extract_date="2026-11-01", crn="X000001", **SIX_CRITERIA),  # the same
            row(extract_date="2026-11-01", crn="X000002", rosh_level="high"),  # changed value
            row(extract_date="2026-11-01", crn="X000003", pdu_code="CAMBS"),  # moved PDU
            row(extract_date="2026-11-01", crn="X000005"),  # new; X000004 is not in it
        ]
    )
    assert (result.people_created, result.people_updated) == (1, 1)

    def versions(crn):
        return list(
            Screening.objects.filter(person__crn=crn)
            .order_by("as_at")
            .values_list("as_at", "until", "criteria_met_count", "pdu__code")
        )

    oct1, nov1 = date(2026, 10, 1), date(2026, 11, 1)
    assert versions("X000001") == [(oct1, None, 6, "NORTHANTS")]
    assert versions("X000002") == [(oct1, nov1, 0, "NORTHANTS"), (nov1, None, 1, "NORTHANTS")]
    assert versions("X000003") == [(oct1, nov1, 0, "NORTHANTS"), (nov1, None, 0, "CAMBS")]
    assert versions("X000004") == [(oct1, nov1, 0, "NORTHANTS")]
    assert versions("X000005") == [(nov1, None, 0, "NORTHANTS")]
    collected = AccessLogEntry.objects.filter(action="collection", record_type="screening")
    assert sorted(
        collected.filter(detail__contains="2026-11-01").values_list("person_crn", flat=True)
    ) == [
        "X000002",
        "X000003",
        "X000005",
    ]
    # The move is a change of the person's details too: record history and the log have it.
    assert list(
        AccessLogEntry.objects.filter(record_type="person").values_list("person_crn", flat=True)
    ) == ["X000003"]
    whole = AccessLogEntry.objects.get(record_type="extract", record_id=str(result.extract.pk))
    assert whole.detail == (
        "Imported the extract as at 2026-11-01: 4 people, 3 with new or changed values"
    )


def test_every_bad_row_is_reported_and_nothing_is_written(pdus):
    rows = [
        row(crn="X000001"),
        row(crn="X12345", rosh_level="severe"),
        row(crn="X000001", reg_mental_health_issues="maybe"),
        row(
            crn="X000004",
            pdu_code="NOWHERE",
            date_of_birth="1990-02-30",
            oasys_4_8_learning_difficulties="3",
        ),
        row(
            crn="X000005",
            extract_date="2026-10-02",
            mappa_level="4",
            custody_status="prison",
            pp_email="not-an-email",
            pp_staff_code="X9",
        ),
    ]
    with pytest.raises(ImportRejected) as rejected:
        do_import(rows)
    reasons = [(p.line, p.column, p.value, p.message) for p in rejected.value.problems]
    assert reasons == [
        (3, "crn", "", "A CRN is one letter and six digits, like X123456"),
        (3, "rosh_level", "severe", "Must be low, medium, high, very_high or empty (unknown)"),
        (4, "crn", "", "This CRN is also on line 2; each person must appear once"),
        (4, "reg_mental_health_issues", "maybe", "Must be Y or N"),
        (
            5,
            "date_of_birth",
            "",  # a person's identifying values are never repeated back
            "The date of birth must be a real date written as YYYY-MM-DD",
        ),
        (
            5,
            "pdu_code",
            "NOWHERE",
            "This PDU code is not known to the service; import the organisation first",
        ),
        (5, "oasys_4_8_learning_difficulties", "3", "Must be 0, 1 or 2"),
        (6, "extract_date", "2026-10-02", "Every row must have the same extract date as line 2"),
        (
            6,
            "pp_email",
            "not-an-email",
            "Enter the practitioner's email address, like name@example.com",
        ),
        (6, "custody_status", "prison", "Must be community or custody"),
        (6, "mappa_level", "4", "Must be 1, 2, 3 or empty"),
    ]
    assert not Person.objects.exists()
    assert not Extract.objects.exists()
    assert not User.objects.exists()
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("flag", ["Y", "y", "N", "n"])
def test_flags_are_case_insensitive(pdus, flag):
    do_import([row(opd_screened_in=flag)])
    assert Screening.objects.get().opd_screened_in is (flag.upper() == "Y")


@pytest.mark.parametrize("flag", ["", "yes", "1", "T"])
def test_anything_else_in_a_flag_column_is_an_error_not_a_no(pdus, flag):
    with pytest.raises(ImportRejected) as rejected:
        do_import([row(opd_screened_in=flag)])
    assert [(p.column, p.message) for p in rejected.value.problems] == [
        ("opd_screened_in", "Must be Y or N")
    ]


def test_a_missing_column_rejects_the_whole_file(pdus):
    columns = [c for c in row() if c != "opd_screened_in"]
    with pytest.raises(ImportRejected) as rejected:
        extract_import(
            source=extract_csv([row()], columns=columns), filename="x.csv", imported_by=None
        )
    assert (
        rejected.value.problems[0].as_text()
        == "Line 1, column opd_screened_in: This column is missing from the header row"
    )


def test_unknown_extra_columns_are_ignored(pdus):
    columns = ["notes", *row()]
    extract_import(
        source=extract_csv([{**row(), "notes": "x"}], columns=columns),
        filename="x.csv",
        imported_by=None,
    )
    assert Person.objects.count() == 1


def test_a_practitioner_email_that_belongs_to_another_staff_code_is_refused(pdus):
    UserFactory(staff_code="OTHER1", email="priya.hughes@example.com")
    with pytest.raises(ImportRejected, match="This email belongs to staff code OTHER1"):
        do_import([row()])
    assert not Person.objects.exists()


def test_progress_is_reported_while_checking(pdus):
    # A flag with a space around it is fine (cells are stripped) but takes the row-by-row path.
    seen = []
    do_import(
        [row(crn=f"X{n:06d}", opd_screened_in=" N") for n in range(1, 4002)], progress=seen.append
    )
    assert seen == [2000, 4000]
    assert Person.objects.count() == 4001


def test_a_plain_clean_file_is_checked_too_quickly_to_report_progress(pdus):
    seen, saving = [], []
    do_import(
        [row(crn=f"X{n:06d}") for n in range(1, 4002)],
        progress=seen.append,
        on_saving=lambda: saving.append(True),
    )
    assert (seen, saving) == ([], [True])
    assert Person.objects.count() == 4001


def test_progress_can_be_saved_to_the_database_while_checking(pdus):
    """The upload task writes progress as the rows are checked: the connection must be free then."""
    from django.db import connection

    seen = []

    def progress(done):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [done])
            seen.append(cursor.fetchone()[0])

    do_import(
        [row(crn=f"X{n:06d}", opd_screened_in=" N") for n in range(1, 12_002)], progress=progress
    )
    assert seen == [2000, 4000, 6000, 8000, 10000, 12000]
    assert Person.objects.count() == 12_001


def test_no_staging_table_is_left_behind_whether_imported_or_rejected(pdus):
    from django.db import connection

    from complexcases.core.database_roles import STAGING_SCHEMA

    do_import([row()])
    with pytest.raises(ImportRejected):
        do_import([row(crn="BAD")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace", [STAGING_SCHEMA]
        )
        assert cursor.fetchall() == []


def test_the_command_imports_and_reports(pdus, tmp_path, capsys):
    path = tmp_path / "extract.csv"
    path.write_bytes(extract_csv([row(**SIX_CRITERIA)]))
    call_command("import_extract", str(path))
    assert "1 people, 1 new, 0 updated, 1 new practitioner records" in capsys.readouterr().out


def test_the_command_fails_with_the_same_report_and_writes_nothing(pdus, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(extract_csv([row(crn="BAD"), row(crn="X000002", rosh_level="extreme")]))
    with pytest.raises(CommandError) as error:
        call_command("import_extract", str(path))
    report = str(error.value)
    assert report.startswith("The file was not imported. Nothing was saved. 2 problems")
    assert "Line 2, column crn: A CRN is one letter and six digits" in report
    assert "BAD" not in report
    assert 'Line 3, column rosh_level ("extreme")' in report
    assert not Person.objects.exists()


def test_a_short_row_is_reported_with_every_other_problem(pdus):
    content = (
        extract_csv([row(crn="X000001"), row(crn="X000002", rosh_level="bad")]) + b"X000003,short\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        extract_import(source=content, filename="x.csv", imported_by=None)
    assert [p.as_text() for p in rejected.value.problems] == [
        'Line 3, column rosh_level ("bad"): Must be low, medium, high, very_high or empty (unknown)',
        "Line 4: This row has 2 values but the header has 26",
    ]


def test_an_existing_practitioner_email_matches_whatever_its_case(pdus):
    priya = UserFactory(staff_code=None, email="Priya.Hughes@Example.com")
    result = do_import([row()])
    assert result.staff_created == 0
    assert Person.objects.get().practitioner == priya


def test_one_email_for_two_staff_codes_is_a_problem(pdus):
    with pytest.raises(ImportRejected) as rejected:
        do_import([row(crn="X000001"), row(crn="X000002", pp_staff_code="N01P002")])
    assert [p.as_text() for p in rejected.value.problems] == [
        'Line 3, column pp_email ("priya.hughes@example.com"): This email is used for staff code N01P001 on line 2'
    ]


@pytest.mark.parametrize("code", ["0", "NOPE"])
def test_a_plain_file_with_an_unknown_pdu_is_refused_with_the_reason(pdus, code):
    """Found by test_bad_input's hypothesis run: the fast path wrote practitioners into their
    PDU before its own pass would have found the PDU unknown, and crashed (KeyError)."""
    with pytest.raises(ImportRejected) as rejected:
        do_import([row(crn="X000001"), row(crn="X000002", pdu_code=code)])
    assert [(p.line, p.column, p.value, p.message) for p in rejected.value.problems] == [
        (
            3,
            "pdu_code",
            code,
            "This PDU code is not known to the service; import the organisation first",
        )
    ]
    assert not Extract.objects.exists()
    assert not Person.objects.exists()
