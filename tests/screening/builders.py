"""Build synthetic monthly extracts for tests."""

import csv
import io

from complexcases.screening.extract import EXTRACT_COLUMNS

# Meets none of the eight criteria.
BASE_ROW = {
    "extract_date": "2026-10-01",
    "crn": "X000001",
    "surname": "Example",
    "forenames": "Sam",
    "date_of_birth": "1990-05-17",
    "pdu_code": "NORTHANTS",
    "pp_staff_code": "N01P001",
    "pp_name": "Hughes, Priya",
    "pp_email": "priya.hughes@example.com",
    "custody_status": "community",
    "expected_release_date": "",
    "rosh_level": "medium",
    "reg_mental_health_issues": "N",
    "reg_mentally_disordered_offender": "N",
    "oasys_10_psychological_problems": "N",
    "oasys_10_psychiatric_problems": "N",
    "reg_suicide_self_harm": "N",
    "oasys_10_5_self_harm": "N",
    "rosh_r3_self_harm": "N",
    "oasys_4_8_learning_difficulties": "0",
    "mappa_level": "",
    "mappa_category": "",
    "opd_screened_in": "N",
    "oasys_alcohol_need": "N",
    "oasys_drugs_need": "N",
    "sentence_type": "SDS",
}

# Meets criteria 1, 2, 3, 4, 5 and 6: six, so listed at the default threshold.
SIX_CRITERIA = {
    "rosh_level": "high",
    "reg_mental_health_issues": "Y",
    "reg_suicide_self_harm": "Y",
    "oasys_4_8_learning_difficulties": "1",
    "mappa_level": "2",
    "mappa_category": "1",
    "opd_screened_in": "Y",
}


def row(**overrides) -> dict:
    return {**BASE_ROW, **overrides}


def extract_csv(rows: list[dict], columns=EXTRACT_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
