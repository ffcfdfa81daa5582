"""The monthly list and the person page make the same number of queries however much data there is.

An N+1 query (one per row, one per month of history) fails here. docs/performance.md
measures the same pages at national scale.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complexcases.organisation.roles import Role
from complexcases.screening.services import extract_import, monthly_list_generate
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db
MONTHS = [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]


def load(people: int, months: list[date]) -> None:
    """`people` listed people in Northamptonshire, one extract and list per month."""
    for month in months:
        rows = [
            row(
                crn=f"A{n:06d}",
                surname=f"Person{n:03d}",
                extract_date=month.isoformat(),
                **SIX_CRITERIA,
            )
            for n in range(1, people + 1)
        ]
        extract_import(source=extract_csv(rows), filename=f"{month}.csv", imported_by=None)
        monthly_list_generate(month=month)


def queries(client, url: str) -> int:
    client.get(url)  # once-per-session and per-process look-ups first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def team_client(client, pdus):
    return sign_in_verified(client, UserFactory(roles=[Role.PROGRAMME_MANAGER]))


def test_the_monthly_list_makes_as_many_queries_for_60_rows_as_for_2(
    pdus, team_client, django_assert_max_num_queries
):
    url = reverse("screening:monthly-list") + "?pdu=NORTHANTS"
    load(2, MONTHS[-1:])
    few = queries(team_client, url)
    load(60, [date(2026, 11, 1)])  # a newer list, a full page of 50
    with django_assert_max_num_queries(few):
        team_client.get(url)
    assert queries(team_client, url) == few


def test_the_person_page_makes_as_many_queries_for_four_months_as_for_one(
    pdus, team_client, django_assert_max_num_queries
):
    url = reverse("people:person", args=["A000001"])
    load(1, MONTHS[:1])
    one_month = queries(team_client, url)
    load(1, MONTHS[1:])
    with django_assert_max_num_queries(one_month):
        team_client.get(url)
    assert queries(team_client, url) == one_month
