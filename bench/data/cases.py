"""Cases: the triage requests and bookings made by the steps before, grouped into cases by the
same rules as the migration that grouped the records made before cases existed (cases 0002).

The triage and panel steps insert with the case column open to NULL; this step groups, then
closes it again. It saves one case at a time (the exception to COPY in bench/data): the
grouping is the migration's own code, so the benchmark database holds what production will.
"""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from . import Context

CASE_COLUMNS = (("triage_triagerequest", "case_id"), ("panel_panelbooking", "case_id"))


def open_case_columns() -> None:
    """Called by the triage step before it inserts: the rows get their case here."""
    with connection.cursor() as cursor:
        for table, column in CASE_COLUMNS:
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL")


def generate(context: Context) -> None:
    grouping = importlib.import_module("complexcases.cases.migrations.0002_group_existing_records")
    grouping.group(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        for table, column in CASE_COLUMNS:
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL")
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE status <> 'closed') FROM cases_case"
        )
        context.counts["cases"], context.counts["cases_open"] = cursor.fetchone()
