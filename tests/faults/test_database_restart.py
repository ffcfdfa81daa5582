"""PostgreSQL restarted during an import: nothing half-written, and running it again succeeds.

The test's own embedded PostgreSQL (never the machine's, nor the one the suite uses) is
migrated, the import is paused mid-write by a table lock, and the server is restarted with
`pg_ctl restart -m fast`, which ends every session and rolls its transaction back.
"""

import os
import subprocess
import sys
import time

import psycopg
import pytest

from tests.faults.components import ROOT, OwnPostgres, report, wait_until
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.faults

DATABASE = "cc_faults"
SEED = """
import django
django.setup()
from tests.factories import ProbationDeliveryUnitFactory, RegionFactory
region = RegionFactory(code="EOE", name="East of England")
for code in ("NORTHANTS", "CAMBS", "ESSEXN", "ESSEXS"):
    ProbationDeliveryUnitFactory(code=code, name=code.title(), region=region)
"""


def manage(environment, *args, timeout=300, check=True):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def counts(postgres: OwnPostgres) -> dict:
    with psycopg.connect(postgres.conninfo(DATABASE)) as connection:
        one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "extracts": one("SELECT count(*) FROM screening_extract"),
            "people": one("SELECT count(*) FROM people_person"),
            "screenings": one("SELECT count(*) FROM screening_screening"),
            "scratch tables": one(
                "SELECT count(*) FROM pg_class WHERE relnamespace = 'import_staging'::regnamespace"
                " AND relkind IN ('r', 'v')"
            ),
        }


def test_an_import_interrupted_by_a_database_restart_leaves_nothing_and_runs_again(tmp_path):
    postgres = OwnPostgres()
    try:
        postgres.recreate(DATABASE)
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "complexcases.settings.test",
            "DATABASE_URL": postgres.url(DATABASE),
        }
        manage(environment, "migrate", "--no-input", "-v", "0")
        subprocess.run(
            [sys.executable, "-c", SEED], cwd=ROOT, env=environment, check=True, timeout=120
        )
        extract = tmp_path / "october.csv"
        extract.write_bytes(
            extract_csv([row(crn=f"Z{n:06d}", **SIX_CRITERIA) for n in range(1, 41)])
        )

        holder = psycopg.connect(postgres.conninfo(DATABASE))
        holder.execute("LOCK TABLE people_person IN SHARE ROW EXCLUSIVE MODE")
        importing = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "import_extract", str(extract)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_until(
            lambda: holder.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
                " AND relation = 'people_person'::regclass"
            ).fetchone()[0],
            timeout=90,
            what="the import to be writing people",
        )
        restart_seconds = postgres.restart()  # the fault
        first_exit = importing.wait(90)
        first_output = importing.stdout.read()
        after_restart = counts(postgres)

        started = time.monotonic()
        again = manage(environment, "import_extract", str(extract), check=False)
        rerun_seconds = time.monotonic() - started
        after_rerun = counts(postgres)
        rerun_again = manage(environment, "import_extract", str(extract), check=False)
    finally:
        postgres.stop()

    assert first_exit != 0, first_output
    assert {k: v for k, v in after_restart.items() if k != "scratch tables"} == {
        "extracts": 0,
        "people": 0,
        "screenings": 0,
    }
    assert again.returncode == 0, again.stdout + again.stderr
    assert after_rerun == {"extracts": 1, "people": 40, "screenings": 40, "scratch tables": 0}
    assert "already imported" in rerun_again.stdout
    report(
        "test_database_restart",
        fault="PostgreSQL restarted (pg_ctl restart -m fast) while an import was writing people",
        expected="the import fails with nothing written; run again, it imports the whole file "
        "and clears the scratch tables the interrupted one left",
        measured=f"restart took {restart_seconds:.1f} s; the import exited {first_exit}; then "
        f"{after_restart}; the rerun succeeded in {rerun_seconds:.1f} s: {after_rerun}; a third "
        "run changed nothing",
    )
