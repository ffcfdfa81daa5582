"""Writes for screening: importing an extract (from a file or an upload)."""

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.csvimport import ImportProblem, ImportRejected
from complexcases.core.database_roles import STAGING_SCHEMA
from complexcases.organisation.models import ProbationDeliveryUnit, User

from ..extract import CHECKED_COLUMNS, check_extract
from ..fastcheck import fast_check
from ..models import (
    Extract,
    ExtractUpload,
)
from .staging import (
    BATCH,
    STAGING_TABLE_SQL,
    FastPathDoubt,
    _CollectionLog,
    _practitioners_for,
    _record_screenings,
    _resolve,
    _StagingTables,
    _upsert_people,
)

logger = logging.getLogger(__name__)


IMPORT_LOCK_NAMESPACE = 7_302  # this project's advisory lock keys; see also ADVISORY_LOCK_NAMESPACE
UPLOAD_LOCK_NAMESPACE = 7_303  # held while an upload is imported (a session lock, gone with it)


@dataclass(frozen=True)
class ExtractImportResult:
    extract: Extract
    unchanged: bool
    people_created: int
    people_updated: int
    staff_created: int

    @property
    def summary(self) -> str:
        if self.unchanged:
            return f"This extract (as at {self.extract.extract_date:%-d %B %Y}) was already imported. Nothing changed."
        return (
            f"Extract as at {self.extract.extract_date:%-d %B %Y} imported: {self.extract.row_count} people, "
            f"{self.people_created} new, {self.people_updated} updated, "
            f"{self.staff_created} new practitioner records (they cannot sign in until enabled)."
        )


def extract_import(
    *,
    source: IO | str | bytes,
    filename: str,
    imported_by: User | None,
    progress: Callable[[int], None] | None = None,
    on_saving: Callable[[], None] | None = None,
) -> ExtractImportResult:
    """Check every row, then land the whole extract in one transaction, or nothing and every problem.

    A plain, clean file is COPYed and checked in PostgreSQL (fastcheck, ADR 0018); any
    other file is checked row by row by check_extract, which COPYs the clean rows into a
    staging table (ADR 0015). Either way the people, practitioners, screening versions,
    record history and access log are then written set-wise in SQL, only where something
    changed. The file is held once in memory as bytes (36 MB for 250,000 rows).
    """
    known_pdus = dict(
        ProbationDeliveryUnit.objects.filter(disabled_on__isnull=True).values_list("code", "id")
    )
    # Unlogged tables of this import's own (temporary tables live in a small per-session
    # buffer that 250,000 rows overflow). Filled outside the transaction, as the checking
    # always was, so an upload's progress is seen while it runs; dropped however it ends.
    # The tag starts with this connection's backend pid: tables whose backend is gone (a killed
    # worker, a database restart) are dropped by the next import (_staging_orphans_drop).
    _staging_orphans_drop()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]
    tables = _StagingTables(f"{backend_pid}_{uuid.uuid4().hex[:8]}")
    data = _read_all(source)
    today = timezone.localdate()

    def land(checked) -> ExtractImportResult:
        if on_saving is not None:
            on_saving()
        with transaction.atomic():
            return _extract_land(checked, tables, known_pdus, filename, imported_by)

    try:
        # A plain, clean file is checked by PostgreSQL (ADR 0018): most of the checks happen
        # in the landing's one pass. Anything in doubt, and every problem report, goes to
        # check_extract, row by row, as if the fast path had not been tried.
        checked = fast_check(
            data,
            sha256=hashlib.sha256(data).hexdigest(),
            known_pdu_codes=set(known_pdus),
            today=today,
            table=tables.staging,
        )
        if checked is not None:
            # No progress to report: the checking is a few statements (the upload page shows
            # "saving" from here).
            try:
                return land(checked)
            except (FastPathDoubt, ImportRejected, DatabaseError):
                logger.info("Extract import: the fast path was in doubt; checking row by row")
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {tables.staging}_raw CASCADE")
        with connection.cursor() as cursor:
            cursor.execute(STAGING_TABLE_SQL.format(table=tables.staging))
        staging = _StagingWriter(tables.staging)
        checked = check_extract(
            data,
            known_pdu_codes=set(known_pdus),
            today=today,
            write_row=staging.add,
            progress=progress,
        )
        staging.flush()
        return land(checked)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {tables.staging}_raw CASCADE")  # and its view
            cursor.execute(
                f"DROP TABLE IF EXISTS {tables.staging}, {tables.practitioners}, {tables.resolved}"
            )


_STAGING_TAG = re.compile(r"^extract_[a-z]+_(?P<pid>[0-9]+)_[0-9a-f]{8}")


def _staging_orphans_drop() -> int:
    """Drop the scratch tables of imports whose database session has gone.

    An import drops its own tables however it ends, unless its process was killed or the
    database restarted under it: then they stay, holding a file's rows, until this runs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relkind FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'v')"
            " AND pg_has_role(c.relowner, 'USAGE')",
            [STAGING_SCHEMA],
        )
        found = cursor.fetchall()
        cursor.execute("SELECT pid FROM pg_stat_activity")
        alive = {pid for (pid,) in cursor.fetchall()}
        dropped = 0
        for kind in ("v", "r"):  # views first: each depends on a table
            for name, relkind in found:
                match = _STAGING_TAG.match(name)
                if relkind != kind or not match or int(match["pid"]) in alive:
                    continue
                what = "VIEW" if relkind == "v" else "TABLE"
                cursor.execute(f'DROP {what} IF EXISTS {STAGING_SCHEMA}."{name}" CASCADE')
                dropped += 1
    if dropped:
        logger.warning(
            "Extract import: dropped %s scratch tables left by a stopped import", dropped
        )
    return dropped


def _read_all(source: IO | str | bytes) -> bytes:
    """The whole file (36 MB for 250,000 rows): the fast path hands it to COPY in one go."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str):
        with open(source, "rb") as handle:
            return handle.read()
    return source.read()


class _StagingWriter:
    """COPYs checked rows into the staging table in batches (between batches the connection
    is free for the progress updates)."""

    def __init__(self, table: str, batch: int = BATCH):
        self.table, self.batch, self.rows = table, batch, []

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {self.table} ({', '.join(CHECKED_COLUMNS)}) FROM STDIN"
            ) as copy,
        ):
            for row in self.rows:
                copy.write_row(row)
        self.rows = []


def _extract_land(checked, tables, known_pdus, filename, imported_by) -> ExtractImportResult:
    """The writes, in the caller's transaction: under the lock, from the staging table."""
    with connection.cursor() as cursor:
        # Sorts and hash joins of 250,000 rows stay in memory rather than spill to disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # One import at a time: the "already imported" and "in date order" checks then hold.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [IMPORT_LOCK_NAMESPACE])
    existing = Extract.objects.filter(extract_date=checked.extract_date).first()
    if existing is not None:
        if existing.sha256 == checked.sha256:
            return ExtractImportResult(existing, True, 0, 0, 0)
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    "extract_date",
                    checked.extract_date.isoformat(),
                    "A different extract with this date has already been imported",
                )
            ]
        )
    newest = (
        Extract.objects.order_by("-extract_date").values_list("extract_date", flat=True).first()
    )
    if newest is not None and newest > checked.extract_date:
        # Screenings are versions that run forward from extract to extract (ADR 0018).
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    "extract_date",
                    checked.extract_date.isoformat(),
                    f"Extracts are imported in date order and the one as at {newest:%-d %B %Y} "
                    "is already in: this one is older",
                )
            ]
        )
    staff_created = _practitioners_for(checked.practitioners, known_pdus, tables)
    extract = Extract.objects.create(
        extract_date=checked.extract_date,
        sha256=checked.sha256,
        filename=filename[:255],
        row_count=checked.row_count,
        imported_by=imported_by,
    )
    log = _CollectionLog(extract, imported_by)
    _resolve(tables)
    created, updated = _upsert_people(tables, checked.extract_date, log)
    versions = _record_screenings(extract, tables, log)
    access_log_record(
        user=imported_by,
        action=Action.COLLECTION,
        record_type="extract",
        record_id=extract.pk,
        detail=f"Imported the extract as at {extract.extract_date.isoformat()}: "
        f"{checked.row_count} people, {versions} with new or changed values",
    )
    return ExtractImportResult(extract, False, created, updated, staff_created)


def extract_upload_create(*, uploaded_file, uploaded_by: User) -> ExtractUpload:
    """Keep an uploaded extract and queue its import in the background, through the outbox: the
    import is a TaskRun written with the upload, so it runs even if the broker is down now."""
    from complexcases.core.outbox import task_queue

    from ..tasks import import_extract_upload

    with transaction.atomic():
        upload = ExtractUpload(filename=uploaded_file.name[:255], uploaded_by=uploaded_by)
        upload.file.save(f"{upload.id}.csv", uploaded_file, save=False)
        upload.save()
        task_queue(import_extract_upload, args=[str(upload.id)])
    return upload


def extract_upload_given_up(*, upload_id) -> None:
    """The import task failed after its retries: the upload says so (nothing was saved)."""
    try:
        ExtractUpload.objects.filter(pk=upload_id, finished_at__isnull=True).update(
            status=ExtractUpload.Status.FAILED,
            summary="Something went wrong. Nothing was saved.",
            finished_at=timezone.now(),
        )
    except DatabaseError:
        logger.error("Extract upload %s: could not record the failure", upload_id)


def extract_upload_process(*, upload: ExtractUpload) -> ExtractUpload:
    """Import an uploaded file, recording progress and the outcome on the upload; the file is then deleted."""
    if upload.is_finished or not upload.file:
        return upload  # a redelivered task: the work is done
    with connection.cursor() as cursor:
        # One run per upload at a time: a second hand-over of the same upload, or a run
        # redelivered while the session of a killed one is still ending, waits here and then
        # finds the upload finished, or imports it.
        cursor.execute(
            "SELECT pg_advisory_lock(%s, hashtext(%s))", [UPLOAD_LOCK_NAMESPACE, str(upload.pk)]
        )
    try:
        upload.refresh_from_db()
        if upload.is_finished or not upload.file:
            return upload
        return _extract_upload_import(upload)
    finally:
        if connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, hashtext(%s))",
                    [UPLOAD_LOCK_NAMESPACE, str(upload.pk)],
                )


def _extract_upload_import(upload: ExtractUpload) -> ExtractUpload:

    def progress(done: int) -> None:
        ExtractUpload.objects.filter(pk=upload.pk).update(rows_checked=done)

    def finish(**fields) -> None:
        ExtractUpload.objects.filter(pk=upload.pk).update(finished_at=timezone.now(), **fields)

    try:
        with upload.file.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            handle.seek(0)
            ExtractUpload.objects.filter(pk=upload.pk).update(
                status=ExtractUpload.Status.CHECKING, rows_total=max(lines - 1, 0)
            )
            result = extract_import(
                source=handle,
                filename=upload.filename,
                imported_by=upload.uploaded_by,
                progress=progress,
                on_saving=lambda: ExtractUpload.objects.filter(pk=upload.pk).update(
                    status=ExtractUpload.Status.SAVING
                ),
            )
    except (OperationalError, InterfaceError):
        # The database went away (a restart, a failover): the import's transaction was rolled
        # back whole. Left unfinished, the task retries it from the start.
        logger.warning(
            "Extract upload %s: the database went away; the import will retry", upload.pk
        )
        raise
    except ImportRejected as rejected:
        finish(
            status=ExtractUpload.Status.REJECTED,
            problems=[problem.__dict__ for problem in rejected.problems[:1000]],
            summary=f"{len(rejected.problems)} problems found. Nothing was saved.",
        )
    except Exception as error:
        # The class only: a database error's detail can quote the row's values.
        logger.error("Extract upload %s failed: %s", upload.pk, type(error).__name__)
        finish(
            status=ExtractUpload.Status.FAILED, summary="Something went wrong. Nothing was saved."
        )
    else:
        finish(
            status=ExtractUpload.Status.IMPORTED,
            rows_checked=result.extract.row_count,
            extract=result.extract,
            summary=result.summary,
        )
    upload.file.delete(save=False)  # the extract is personal data: keep it in the database only
    ExtractUpload.objects.filter(pk=upload.pk).update(file="")
    upload.refresh_from_db()
    return upload


# The monthly list ----------------------------------------------------------------------------
