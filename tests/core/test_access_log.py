"""The section 62 access log is append-only in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from complexcases.core.access_log import access_log_record
from complexcases.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(practitioner_user):
    return access_log_record(
        user=practitioner_user, action="consultation", record_type="person", record_id=1
    )


def test_an_entry_records_who_what_and_the_request(entry, practitioner_user):
    assert (entry.user, entry.action, entry.record_type, entry.request_id) == (
        practitioner_user,
        "consultation",
        "person",
        "-",
    )


def test_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="tampered")
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_delete_is_refused_by_the_database(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_accesslogentry WHERE id = %s", [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_old_retention_switch_no_longer_opens_the_log(entry):
    """It did, for any connection that set it (issue 18); tests/core/test_database_roles.py
    tries every such trick as the application's role."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL complexcases.access_log_retention = 'on'")
        with pytest.raises(DatabaseError, match="append-only: DELETE"), transaction.atomic():
            cursor.execute("DELETE FROM core_accesslogentry WHERE id = %s", [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_outside_the_test_database():
    entry = access_log_record(user=None, action="consultation", record_type="person")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL complexcases.test_database = 'off'")
        with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic():
            cursor.execute("TRUNCATE core_accesslogentry")
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
