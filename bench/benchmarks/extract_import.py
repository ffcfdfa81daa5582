"""Import of next month's extract (the real service, with validation) vs COPY of the same file.

Floor: PostgreSQL COPY (CSV) of the same file into an unlogged staging table of text
columns, in the same process and run. Both are rolled back; the import's deferred
foreign-key checks are made to run first (SET CONSTRAINTS ALL IMMEDIATE) and are timed
with it, as a commit would run them. Each is run `REPEATS` times
and the fastest kept, so a burst of other work on the machine counts less.
"""

from pathlib import Path

from . import Rollback, django_from_argv, emit, meta, peak_rss_mb, timed

REPEATS = 2


def floor_copy(path: Path) -> None:
    from django.db import connection

    from complexcases.screening.extract import EXTRACT_COLUMNS

    columns = ", ".join(f"{name} text" for name in EXTRACT_COLUMNS)
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


def main() -> None:
    django_from_argv()
    from django.db import connection, transaction

    from complexcases.screening.services import extract_import

    path = Path(meta()["next_extract"])
    floors, imports = [], []
    result = None
    for _ in range(REPEATS + 1):
        try:
            with transaction.atomic(), timed(floors):
                floor_copy(path)
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
                raise Rollback
        except Rollback:
            pass
    emit(
        name="import",
        seconds=min(imports),
        floor_seconds=min(floors),
        all_seconds=imports,
        all_floor_seconds=floors,
        peak_rss_mb=peak_rss_mb(),
        rss_before_mb=rss_before,
        rows=result.extract.row_count,
        people_created=result.people_created,
        people_updated=result.people_updated,
        staff_created=result.staff_created,
    )


if __name__ == "__main__":
    main()
