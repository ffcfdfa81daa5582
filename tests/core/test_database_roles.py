"""The access log holds against SQL run as the application's own database role (ADR 0023).

The suite's own connection is the owner (it creates, migrates and empties the test
database); these tests connect to the same database as DATABASE_APP_ROLE, the role the
web, worker and beat use, and try everything SQL offers to change the log.
"""

import os
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import errors

from complexcases.core.access_log import access_log_record
from complexcases.core.models import AccessLogEntry
from complexcases.core.services import access_log_apply_retention
from complexcases.people.models import Person
from complexcases.screening.models import Screening
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db(transaction=True)  # the second connection sees committed rows

LOG = "core_accesslogentry"


def _app_role_parameters() -> dict:
    own = connection.settings_dict
    parameters = {"dbname": own["NAME"], "user": settings.DATABASE_APP_ROLE}
    parameters.update({k.lower(): own[k] for k in ("HOST", "PORT") if own[k]})
    return parameters


@pytest.fixture
def as_app():
    """A connection to the test database as the application's role (autocommit)."""
    try:
        app = psycopg.connect(**_app_role_parameters(), autocommit=True)
    except psycopg.OperationalError as error:
        if not os.environ.get("CI"):  # devstack creates the role; another server may not have it
            pytest.skip(f"cannot connect as {settings.DATABASE_APP_ROLE}: {error}")
        raise
    with app:
        yield app


def old_entry(days: int, crn: str) -> None:
    """`at` is set on insert: write a row of a given age directly (as the owner)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LOG} (at, person_crn, record_type, record_id, action, detail, recipient,"  # noqa: S608
            " request_id) VALUES (%s, %s, 'person', '', 'consultation', '', '', '')",
            [timezone.now() - timedelta(days=days), crn],
        )


@pytest.fixture
def entries():
    old_entry(800, "A000800")
    old_entry(400, "A000400")
    access_log_record(user=None, action="consultation", record_type="person")
    return sorted(AccessLogEntry.objects.values_list("pk", "at", "detail"))


def test_the_application_role_does_not_own_the_log_and_may_only_read_and_add(as_app):
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", [LOG]
        )
        assert cursor.fetchone()[0] == connection.settings_dict["USER"] != role
        cursor.execute(
            "SELECT p, has_table_privilege(%s, %s, p) FROM unnest(%s::text[]) AS p",
            [role, LOG, ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"]],
        )
        assert dict(cursor.fetchall()) == {
            "SELECT": True,
            "INSERT": True,
            "UPDATE": False,
            "DELETE": False,
            "TRUNCATE": False,
            "TRIGGER": False,
        }
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s", [role]
        )
        assert cursor.fetchone() == (False, False, False)


def test_every_other_table_allows_the_applications_ordinary_work(as_app):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
              AND c.relname NOT IN (%s, 'django_migrations')
              AND NOT (has_table_privilege(%s, c.oid, 'SELECT')
                       AND has_table_privilege(%s, c.oid, 'INSERT')
                       AND has_table_privilege(%s, c.oid, 'UPDATE')
                       AND has_table_privilege(%s, c.oid, 'DELETE'))
            """,
            [LOG, *[settings.DATABASE_APP_ROLE] * 4],
        )
        assert cursor.fetchall() == []


FORBIDDEN = {
    "update": ["UPDATE core_accesslogentry SET detail = 'tampered'"],
    "delete": ["DELETE FROM core_accesslogentry"],
    "delete old rows": ["DELETE FROM core_accesslogentry WHERE at < now() - interval '700 days'"],
    "truncate": ["TRUNCATE core_accesslogentry"],
    "disable the trigger": ["ALTER TABLE core_accesslogentry DISABLE TRIGGER ALL"],
    "drop the trigger": ["DROP TRIGGER core_access_log_append_only ON core_accesslogentry"],
    "replace the trigger's function": [
        "CREATE OR REPLACE FUNCTION core_access_log_append_only() RETURNS trigger"
        " AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql"
    ],
    "weaken the retention function": [
        "ALTER FUNCTION core_access_log_apply_retention(integer) SECURITY INVOKER"
    ],
    "drop the table": ["DROP TABLE core_accesslogentry"],
    "rename the table": ["ALTER TABLE core_accesslogentry RENAME TO old_log"],
    "shadow the log with a temporary table": [
        "CREATE TEMPORARY TABLE core_accesslogentry (LIKE core_accesslogentry)"
    ],
    "the old retention switch": [
        "SET LOCAL complexcases.access_log_retention = 'on'",
        "DELETE FROM core_accesslogentry",
    ],
    "the test database switch": [
        "SET LOCAL complexcases.test_database = 'on'",
        "TRUNCATE core_accesslogentry",
    ],
    "become the owner": ["SET ROLE {owner}", "DELETE FROM core_accesslogentry"],
    "become the owner for the session": [
        "SET SESSION AUTHORIZATION {owner}",
        "DELETE FROM core_accesslogentry",
    ],
    "skip triggers as a replica": [
        "SET session_replication_role = replica",
        "DELETE FROM core_accesslogentry",
    ],
}


@pytest.mark.parametrize("statements", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_sql_as_the_application_cannot_change_the_log(as_app, entries, statements):
    def in_one_transaction():
        with as_app.transaction():
            for statement in statements:
                as_app.execute(statement.format(owner=f'"{connection.settings_dict["USER"]}"'))

    with pytest.raises(errors.InsufficientPrivilege):
        in_one_transaction()
    assert sorted(AccessLogEntry.objects.values_list("pk", "at", "detail")) == entries


def test_the_application_adds_and_reads_entries(as_app, entries):
    as_app.execute(
        f"INSERT INTO {LOG} (at, person_crn, record_type, record_id, action, detail, recipient,"  # noqa: S608
        " request_id) VALUES (now(), 'B000001', 'person', '', 'consultation', '', '', 'r1')"
    )
    assert as_app.execute(f"SELECT count(*) FROM {LOG}").fetchone() == (4,)  # noqa: S608


def test_retention_as_the_application_deletes_only_rows_past_the_period(as_app, entries):
    assert as_app.execute("SELECT core_access_log_apply_retention(730)").fetchone() == (1,)
    assert sorted(AccessLogEntry.objects.values_list("person_crn", flat=True)) == ["", "A000400"]


@pytest.mark.parametrize("days", [0, 30, 364, None])
def test_retention_refuses_a_period_under_a_year(as_app, entries, days):
    with pytest.raises(errors.InvalidParameterValue, match="at least 365 days"):
        as_app.execute("SELECT core_access_log_apply_retention(%s)", [days])
    assert AccessLogEntry.objects.count() == 3


def test_even_the_owner_deletes_only_rows_older_than_a_year(entries):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LOG} WHERE person_crn = 'A000800'")  # noqa: S608
        assert cursor.rowcount == 1
        with pytest.raises(Exception, match="append-only: DELETE"):
            cursor.execute(f"DELETE FROM {LOG} WHERE at > now() - interval '1 day'")  # noqa: S608


@contextmanager
def django_connected_as_the_application():
    """The service's own code, on a connection as DATABASE_APP_ROLE."""
    own = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = settings.DATABASE_APP_ROLE
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = own


def test_the_import_and_retention_run_as_the_application(as_app, pdus, entries):
    """The extract import (COPY, scratch tables, advisory lock, bulk writes, access log) and
    the retention service work with the application's privileges."""
    from complexcases.screening.services import extract_import

    with django_connected_as_the_application():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (settings.DATABASE_APP_ROLE,)
        result = extract_import(
            source=extract_csv([row(crn="X000001", **SIX_CRITERIA), row(crn="X000002")]),
            filename="extract.csv",
            imported_by=None,
        )
        assert result.people_created == 2
        Person.objects.filter(crn="X000002").update(surname="Changed")
        Screening.objects.filter(person__crn="X000002").delete()
        assert access_log_apply_retention(older_than_days=730) == 1
    assert AccessLogEntry.objects.filter(action="collection", person_crn="X000001").exists()
    assert Person.objects.get(crn="X000002").surname == "Changed"
