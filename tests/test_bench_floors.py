"""The benchmark floors (bench/floors/, ADR 0049) do the work they stand for.

A floor that skipped a check would flatter the product it is compared with, so the import's
checked floor must refuse what the import refuses and accept what it accepts, and the
monthly list's floor must make the same entries as the job.
"""

from datetime import date

import pytest
from django.conf import settings
from django.db import transaction

from bench.floors.extract import checked_floor
from bench.floors.monthly_list import monthly_list_floor
from complexcases.core.csvimport import ImportRejected
from complexcases.screening.models import MonthlyListEntry, Screening
from complexcases.screening.rules import RULE_VERSION
from complexcases.screening.services import extract_import, monthly_list_generate
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db

BAD = [
    [row(crn="X12345")],
    [row(rosh_level="severe")],
    [row(reg_mental_health_issues="maybe")],
    [row(opd_screened_in="")],
    [row(pdu_code="NOWHERE")],
    [row(date_of_birth="1990-02-30")],
    [row(date_of_birth="1899-12-31")],
    [row(date_of_birth="2999-01-01")],
    [row(expected_release_date="2027-13-01")],
    [row(oasys_4_8_learning_difficulties="3")],
    [row(mappa_level="4")],
    [row(mappa_category="5")],
    [row(custody_status="prison")],
    [row(pp_email="not-an-email")],
    [row(surname="")],
    [row(surname="x" * 101)],
    [row(extract_date="2026-02-30")],
    [row(extract_date="2999-01-01")],
    [row(crn="X000001"), row(crn="X000001")],
    [row(crn="X000001"), row(crn="X000002", extract_date="2026-10-02")],
    [row(crn="X000001"), row(crn="X000002", pp_email="someone.else@example.com")],
    [row(crn="X000001"), row(crn="X000002", pp_staff_code="N01P002")],
]


def floor(rows, tmp_path) -> dict:
    path = tmp_path / "extract.csv"
    path.write_bytes(extract_csv(rows))
    with transaction.atomic():
        result = checked_floor(path, rule_version=RULE_VERSION)
        written = Screening.objects.count()
        transaction.set_rollback(True)
    return {**result, "written": written}


@pytest.mark.parametrize("rows", BAD)
def test_the_checked_floor_refuses_what_the_import_refuses(pdus, tmp_path, rows):
    with pytest.raises(ImportRejected), transaction.atomic():
        extract_import(source=extract_csv(rows), filename="x.csv", imported_by=None)
    result = floor(rows, tmp_path)
    assert result["problems"] > 0
    assert result["written"] == 0


@pytest.mark.parametrize(
    "rows",
    [
        [row(**SIX_CRITERIA)],
        [row(crn="x000001", opd_screened_in=" y", expected_release_date="2027-02-28")],
        [row(crn="X000001"), row(crn="X000002", sentence_type="ipp", mappa_level="3")],
    ],
)
def test_the_checked_floor_writes_what_the_import_writes(pdus, tmp_path, rows):
    columns = ["person__crn", "as_at", "until", "criteria_met", "criteria_met_count", "rosh_level",
               "opd_screened_in", "mappa_level", "sentence_type", "pdu_id"]  # fmt: skip
    result = floor(rows, tmp_path)
    with transaction.atomic():
        imported = extract_import(source=extract_csv(rows), filename="x.csv", imported_by=None)
        by_import = list(Screening.objects.order_by("person__crn").values_list(*columns))
        transaction.set_rollback(True)
    path = tmp_path / "extract.csv"
    with transaction.atomic():
        checked_floor(path, rule_version=RULE_VERSION)
        by_floor = list(Screening.objects.order_by("person__crn").values_list(*columns))
        transaction.set_rollback(True)
    assert result["problems"] == 0
    assert result["people_created"] == imported.people_created == len(rows)
    assert by_floor == by_import


def test_the_monthly_list_floor_makes_the_jobs_entries_including_a_move(pdus):
    october, november = date(2026, 10, 1), date(2026, 11, 1)
    extract_import(
        source=extract_csv([row(crn="X000001", **SIX_CRITERIA), row(crn="X000002", **SIX_CRITERIA),
                            row(crn="X000003", **SIX_CRITERIA)]),
        filename="october.csv", imported_by=None,
    )  # fmt: skip
    monthly_list_generate(month=october)
    extract_import(
        source=extract_csv([
            row(extract_date="2026-11-01", crn="X000001", pdu_code="CAMBS", **SIX_CRITERIA),
            row(extract_date="2026-11-01", crn="X000002"),
            row(extract_date="2026-11-01", crn="X000004", **SIX_CRITERIA),
        ]),
        filename="november.csv", imported_by=None,
    )  # fmt: skip

    def entries():
        return sorted(
            MonthlyListEntry.objects.filter(monthly_list__month=november).values_list(
                "monthly_list__pdu__code", "person__crn", "screening_id", "status"
            )
        )

    with transaction.atomic():
        monthly_list_generate(month=november)
        by_job = entries()
        transaction.set_rollback(True)
    with transaction.atomic():
        monthly_list_floor(
            november, threshold=settings.SCREENING_THRESHOLD, rule_version=RULE_VERSION
        )
        by_floor = entries()
        transaction.set_rollback(True)
    assert by_floor == by_job
    assert {(pdu, crn, status) for pdu, crn, _, status in by_job} == {
        ("CAMBS", "X000001", "listed_again"),
        ("NORTHANTS", "X000001", "no_longer_listed"),
        ("NORTHANTS", "X000002", "no_longer_listed"),
        ("NORTHANTS", "X000003", "no_longer_listed"),
        ("NORTHANTS", "X000004", "new"),
    }
