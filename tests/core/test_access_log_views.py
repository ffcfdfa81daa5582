"""The data protection officer searches and exports the access log; retention applies."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complexcases.core.access_log import access_log_record
from complexcases.core.models import AccessLogEntry
from complexcases.core.services import access_log_apply_retention
from complexcases.organisation.roles import Role
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.html import error_summary, table_rows

pytestmark = pytest.mark.django_db


class Person:
    def __init__(self, pk, crn):
        self.pk, self.crn = pk, crn


@pytest.fixture
def dpo_client(client):
    dpo = UserFactory(email="dana.price@example.com", roles=[Role.DATA_PROTECTION_OFFICER])
    return sign_in_verified(client, dpo)


@pytest.fixture
def entries(practitioner_user):
    other = UserFactory(email="other@example.com")
    access_log_record(
        user=practitioner_user,
        action="consultation",
        record_type="person",
        person=Person(1, "A000001"),
    )
    access_log_record(
        user=other, action="consultation", record_type="person", person=Person(2, "B000002")
    )
    access_log_record(
        user=other,
        action="disclosure",
        record_type="x",
        person=Person(1, "A000001"),
        recipient="someone@example.com",
    )
    return practitioner_user


def test_only_the_data_protection_officer_can_search(
    practitioner_client, system_admin_client, client
):
    url = reverse("access-log")
    assert client.get(url)["Location"].startswith(reverse("login"))
    assert practitioner_client.get(url).status_code == 403
    assert system_admin_client.get(url).status_code == 403


def test_search_by_person_and_by_user(dpo_client, entries):
    by_person = table_rows(dpo_client.get(reverse("access-log"), {"crn": "a000001"}))
    assert [row[2] for row in by_person] == ["A000001", "A000001"]
    by_user = table_rows(dpo_client.get(reverse("access-log"), {"user_email": entries.email}))
    assert [(row[1], row[2]) for row in by_user] == [(entries.email, "A000001")]
    today = timezone.now().date().isoformat()
    assert (
        len(
            table_rows(
                dpo_client.get(reverse("access-log"), {"date_from": today, "date_to": today})
            )
        )
        == 3
    )


def test_bad_search_input_is_explained(dpo_client):
    response = dpo_client.get(reverse("access-log"), {"crn": "Smith", "date_from": "yesterday"})
    assert error_summary(response) == [
        "Enter a CRN: one letter and six digits, like X123456",
        "Enter the date as YYYY-MM-DD",
    ]


def test_export_is_csv_and_is_itself_logged(dpo_client, entries):
    response = dpo_client.get(reverse("access-log-export"), {"crn": "A000001"})
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["at_utc", "user", "person_crn"]
    assert [row[2] for row in rows[1:]] == ["A000001", "A000001"]
    assert rows[1][0].endswith("+00:00")
    export = AccessLogEntry.objects.get(record_type="access log export")
    assert (export.action, export.recipient, export.user.email) == (
        "disclosure",
        "dana.price@example.com",
        "dana.price@example.com",
    )


def test_retention_deletes_only_rows_past_the_period(entries):
    from django.db import connection

    with connection.cursor() as cursor:  # `at` is set on insert, so write an old row directly
        cursor.execute(
            "INSERT INTO core_accesslogentry (at, person_crn, record_type, record_id, action, detail, recipient,"
            " request_id) VALUES (%s, 'C000003', 'person', '', 'consultation', '', '', '')",
            [timezone.now() - timedelta(days=731)],
        )
    assert AccessLogEntry.objects.count() == 4
    assert access_log_apply_retention(older_than_days=730) == 1
    assert sorted(AccessLogEntry.objects.values_list("person_crn", flat=True)) == [
        "A000001",
        "A000001",
        "B000002",
    ]
