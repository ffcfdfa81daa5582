"""Import of next month's extract (the real service, with validation) vs two floors.

- The *checked floor* (issue #22, decision 4; `bench/floors/extract.py`): COPY of the same
  file plus one hand-written SQL statement that applies every row check of the extract's
  contract and writes the changed versions (and the extract, the new practitioners and
  the new people they need). Written from the contract, not from the product's code. The
  import's target is a ratio to this floor.
- The *bare floor*: PostgreSQL COPY (CSV) of the same file into an unlogged staging table
  of text columns. It checks nothing; its ratio is reported, not judged.

All three run in the same process and run, and are rolled back; the deferred foreign-key
checks of what the import and the checked floor write are made to run first (SET
CONSTRAINTS ALL IMMEDIATE) and are timed with them, as a commit would run them. Each is run
`REPEATS` times and the fastest kept, so a burst of other work on the machine counts less.
The checked floor and the import must write the same screening versions (compared row by
row, through a digest) and create the same people, or the benchmark says so and fails.
"""

from pathlib import Path

from . import Rollback, django_from_argv, emit, meta, peak_rss_mb, timed

REPEATS = 2


def floor_copy(path: Path) -> None:
    from django.db import connection

    from bench.floors.extract import CONTRACT_COLUMNS

    columns = ", ".join(f"{name} text" for name in CONTRACT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE UNLOGGED TABLE bench_floor_staging ({columns})")
        with (
            open(path, "rb") as handle,
            cursor.cursor.copy(
                "COPY bench_floor_staging FROM STDIN (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)


def written(extract_date) -> dict:
    """The screening versions an import of the extract as at `extract_date` added and ended."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE s.as_at = %(d)s), count(*) FILTER (WHERE s.until = %(d)s),
                md5(string_agg(concat_ws('|', p.crn, s.as_at, s.until, s.pdu_id, s.rule_version,
                    s.rosh_level, s.reg_mental_health_issues, s.reg_mentally_disordered_offender,
                    s.oasys_10_psychological_problems, s.oasys_10_psychiatric_problems,
                    s.reg_suicide_self_harm, s.oasys_10_5_self_harm, s.rosh_r3_self_harm,
                    s.oasys_4_8_learning_difficulties, s.mappa_level, s.mappa_category,
                    s.opd_screened_in, s.oasys_alcohol_need, s.oasys_drugs_need, s.sentence_type,
                    s.criteria_met, s.criteria_met_count), ',' ORDER BY p.crn, s.as_at))
            FROM screening_screening s JOIN people_person p ON p.id = s.person_id
            WHERE s.as_at = %(d)s OR s.until = %(d)s
            """,
            {"d": extract_date},
        )
        added, ended, digest = cursor.fetchone()
    return {"versions_added": added, "versions_ended": ended, "digest": digest}


def main() -> None:
    django_from_argv()
    from django.db import connection, transaction

    from bench.floors.extract import checked_floor
    from complexcases.screening.rules import RULE_VERSION
    from complexcases.screening.services import extract_import

    path = Path(meta()["next_extract"])
    floors, checked_floors, imports = [], [], []
    floor_writes = import_writes = floor_result = result = None
    for _ in range(REPEATS + 1):
        try:
            with transaction.atomic(), timed(floors):
                floor_copy(path)
                raise Rollback
        except Rollback:
            pass
    for _ in range(REPEATS):
        try:
            with transaction.atomic():
                with timed(checked_floors):
                    floor_result = checked_floor(path, rule_version=RULE_VERSION)
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT extract_date FROM screening_extract ORDER BY extract_date DESC LIMIT 1"
                    )
                    floor_writes = written(cursor.fetchone()[0])
                raise Rollback
        except Rollback:
            pass
    rss_before = peak_rss_mb()
    for _ in range(REPEATS):
        try:
            with transaction.atomic():
                with timed(imports):
                    result = extract_import(source=str(path), filename=path.name, imported_by=None)
                    # What a commit would check: the deferred foreign keys of every row written.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                import_writes = written(result.extract.extract_date)
                raise Rollback
        except Rollback:
            pass
    import_writes["people_created"] = result.people_created
    floor_writes["people_created"] = floor_result["people_created"]
    emit(
        name="import",
        seconds=min(imports),
        floor_seconds=min(floors),
        checked_floor_seconds=min(checked_floors),
        all_seconds=imports,
        all_floor_seconds=floors,
        all_checked_floor_seconds=checked_floors,
        peak_rss_mb=peak_rss_mb(),
        rss_before_mb=rss_before,
        rows=result.extract.row_count,
        people_created=result.people_created,
        people_updated=result.people_updated,
        staff_created=result.staff_created,
        checked_floor=floor_result,
        import_writes=import_writes,
        floor_writes=floor_writes,
        same_writes=import_writes == floor_writes and floor_result["problems"] == 0,
    )


if __name__ == "__main__":
    main()
