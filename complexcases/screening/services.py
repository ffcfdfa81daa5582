"""Writes for screening: importing an extract, generating the monthly list, recording conversations."""

import calendar
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.csvimport import ImportProblem, ImportRejected
from complexcases.core.database_roles import STAGING_SCHEMA
from complexcases.core.errors import ServiceError
from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person

from .extract import CHECKED_COLUMNS, check_extract, split_staff_name
from .fastcheck import fast_check
from .models import (
    Extract,
    ExtractUpload,
    MonthlyList,
    MonthlyListEntry,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from .rules import RULE_VERSION
from .versions import SOURCE_VALUE_COLUMNS, VERSION_COLUMNS

logger = logging.getLogger(__name__)
IMPORT_LOCK_NAMESPACE = 7_302  # this project's advisory lock keys; see also ADVISORY_LOCK_NAMESPACE
BATCH = 5000


class ScreeningError(ServiceError):
    """A request the current state does not allow; the message is for the user."""


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
    tables = _StagingTables(uuid.uuid4().hex[:16])
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


class _CollectionLog:
    """SQL that logs one access-log row per person whose data an import created or changed."""

    def __init__(self, extract: Extract, imported_by: User | None):
        from complexcases.core.middleware import current_request_id

        self.params = {
            "log_user": imported_by.pk if imported_by else None,
            "log_detail": f"Imported in extract as at {extract.extract_date.isoformat()}",
            "log_request": current_request_id(),
        }

    def insert_from(self, rows: str, record_type: str) -> str:
        """An INSERT of the access log's rows for `rows` (a CTE with person_id, crn and id)."""
        return f"""
            INSERT INTO core_accesslogentry
                (at, user_id, person_id, person_crn, record_type, record_id, action, detail, recipient, request_id)
            SELECT now(), %(log_user)s, r.person_id, r.crn, '{record_type}', r.id::text, 'collection',
                %(log_detail)s, '', %(log_request)s
            FROM {rows} r
        """  # noqa: S608 - the names are this module's own


@dataclass(frozen=True)
class _StagingTables:
    """The import's scratch tables, in their own schema (the application's role may create
    tables there and nowhere else: ADR 0023)."""

    tag: str

    @property
    def staging(self) -> str:
        return f"{STAGING_SCHEMA}.extract_staging_{self.tag}"

    @property
    def practitioners(self) -> str:
        return f"{STAGING_SCHEMA}.extract_practitioner_{self.tag}"

    @property
    def resolved(self) -> str:
        return f"{STAGING_SCHEMA}.extract_resolved_{self.tag}"


STAGING_TABLE_SQL = """
CREATE UNLOGGED TABLE {table} (
    line integer NOT NULL, crn varchar(7) NOT NULL, surname varchar(100) NOT NULL,
    forenames varchar(100) NOT NULL, date_of_birth date NOT NULL, pdu_code varchar(20) NOT NULL,
    pp_staff_code varchar(20) NOT NULL, pp_name varchar(200) NOT NULL, pp_email varchar(254) NOT NULL,
    custody_status varchar(10) NOT NULL, expected_release_date date, rosh_level varchar(10) NOT NULL,
    reg_mental_health_issues boolean NOT NULL, reg_mentally_disordered_offender boolean NOT NULL,
    oasys_10_psychological_problems boolean NOT NULL, oasys_10_psychiatric_problems boolean NOT NULL,
    reg_suicide_self_harm boolean NOT NULL, oasys_10_5_self_harm boolean NOT NULL,
    rosh_r3_self_harm boolean NOT NULL, opd_screened_in boolean NOT NULL,
    oasys_alcohol_need boolean NOT NULL, oasys_drugs_need boolean NOT NULL,
    oasys_4_8_learning_difficulties smallint NOT NULL, mappa_level smallint, mappa_category smallint,
    sentence_type varchar(20) NOT NULL, criteria_met smallint[] NOT NULL, criteria_met_count smallint NOT NULL,
    ok boolean NOT NULL DEFAULT true
)
"""


def _practitioners_for(
    wanted: dict[str, tuple[str, str, str, int]], pdus: dict[str, int], tables: _StagingTables
) -> int:
    """Staff by code; unknown practitioners become staff records that cannot sign in yet.

    Fills the practitioners table (staff code → user id) the writes join to.
    """
    found = {
        code: pk
        for code, pk in User.objects.filter(staff_code__in=wanted).values_list("staff_code", "pk")
    }
    by_email = {
        email.lower(): (pk, staff_code)
        for email, pk, staff_code in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[row[0] for code, row in wanted.items() if code not in found])
        .values_list("email", "pk", "staff_code")
    }
    problems = []
    to_create = []
    for code, (email, name, pdu_code, line) in wanted.items():
        if code in found:
            continue
        same_email = by_email.get(email)
        if same_email is not None:
            pk, other_code = same_email
            if other_code and other_code != code:
                problems.append(
                    ImportProblem(
                        line,
                        "pp_email",
                        email,
                        f"This email belongs to staff code {other_code} in the service",
                    )
                )
            else:
                found[code] = pk
            continue
        first, last = split_staff_name(name)
        user = User(
            email=email,
            first_name=first[:150],
            last_name=last[:150],
            staff_code=code,
            pdu_id=pdus[pdu_code],
            is_active=False,
        )
        user.set_unusable_password()
        to_create.append(user)
    if problems:
        raise ImportRejected(problems)
    User.objects.bulk_create(to_create, batch_size=BATCH)
    created = dict(
        User.objects.filter(staff_code__in=[u.staff_code for u in to_create]).values_list(
            "staff_code", "pk"
        )
    )
    Group.objects.get(name=Role.PROBATION_PRACTITIONER).user_set.add(*created.values())
    found.update(created)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE {tables.practitioners}"
            " (staff_code varchar(20) PRIMARY KEY, user_id bigint NOT NULL)"
        )
        with cursor.cursor.copy(
            f"COPY {tables.practitioners} (staff_code, user_id) FROM STDIN"
        ) as copy:
            for item in found.items():
                copy.write_row(item)
    return len(to_create)


PERSON_DETAIL_COLUMNS = (
    "surname", "forenames", "date_of_birth", "pdu_id", "practitioner_id", "custody_status",
    "expected_release_date",
)  # fmt: skip
HISTORY_COLUMNS = (
    "crn", "surname", "forenames", "date_of_birth", "custody_status", "expected_release_date", "pom_name",
    "pom_contact", "as_at", "created_at", "pdu_id", "practitioner_id",
)  # fmt: skip


class FastPathDoubt(Exception):
    """The fast path's rows fail a check it leaves to the landing: import the slow way."""


def _resolve(tables: _StagingTables) -> None:
    """One pass over the staged rows: ids for PDU, practitioner, person and the version in
    force, and whether the person's details or their values changed. Everything after this
    writes only what changed."""
    typed_details = ", ".join(f"s.{c}" for c in PERSON_DETAIL_COLUMNS if not c.endswith("_id"))
    person = ", ".join(f"p.{c}" for c in PERSON_DETAIL_COLUMNS)
    incoming = ", ".join(
        "d.id" if c == "pdu_id" else "x.user_id" if c == "practitioner_id" else f"s.{c}"
        for c in PERSON_DETAIL_COLUMNS
    )
    current = ", ".join(f"c.{c}" for c in VERSION_COLUMNS)
    new = ", ".join(
        "d.id"
        if c == "pdu_id"
        else "%(rule_version)s::smallint"
        if c == "rule_version"
        else f"s.{c}"
        for c in VERSION_COLUMNS
    )
    with connection.cursor() as cursor:
        # Only the rows with something to do are kept: new people, changed details or
        # values, rows in doubt, and (from the full join) versions whose person is absent.
        cursor.execute(
            f"""
            CREATE UNLOGGED TABLE {tables.resolved} AS
            SELECT * FROM (
                SELECT s.line, s.crn, {typed_details}, d.id AS pdu_id, x.user_id AS practitioner_id,
                    {", ".join(f"s.{c}" for c in SOURCE_VALUE_COLUMNS)}, s.criteria_met,
                    s.ok AND d.id IS NOT NULL AND x.user_id IS NOT NULL AS ok,
                    p.id AS person_id, c.id AS current_id, s.crn IS NULL AS absent,
                    p.id IS NOT NULL AND ({person}) IS DISTINCT FROM ({incoming}) AS details_changed,
                    s.crn IS NOT NULL AND (c.id IS NULL OR ({current}) IS DISTINCT FROM ({new}))
                        AS version_changed
                FROM (
                    {tables.staging} s
                    LEFT JOIN organisation_probationdeliveryunit d ON d.code = s.pdu_code
                    LEFT JOIN {tables.practitioners} x ON x.staff_code = s.pp_staff_code
                    LEFT JOIN people_person p ON p.crn = s.crn
                )
                FULL JOIN (SELECT * FROM screening_screening WHERE until IS NULL) c ON c.person_id = p.id
            ) r
            WHERE absent OR NOT ok OR person_id IS NULL OR details_changed OR version_changed
            """,  # noqa: S608 - column names are this module's constants
            {"rule_version": RULE_VERSION},
        )
        # A few thousand rows: with statistics, the writes below look each one up by id.
        cursor.execute(f"ANALYZE {tables.resolved}")
        cursor.execute(f"SELECT bool_and(ok) FROM {tables.resolved} WHERE NOT absent")  # noqa: S608
        if cursor.fetchone()[0] is False:
            raise FastPathDoubt


def _upsert_people(
    tables: _StagingTables, extract_date: date, log: _CollectionLog
) -> tuple[int, int]:
    """New people are created, changed details updated, each with a record-history row and an
    access-log row; unchanged people are left alone."""
    reason = f"Monthly extract as at {extract_date.isoformat()}"[:100]
    details = ", ".join(PERSON_DETAIL_COLUMNS)
    history = ", ".join(HISTORY_COLUMNS)
    params = {
        "date": extract_date,
        "now": timezone.now(),
        "reason": reason,
        "user": log.params["log_user"],
        **log.params,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH changed AS (
                UPDATE people_person p
                SET ({details}, as_at, updated_at) = ({", ".join(f"r.{c}" for c in PERSON_DETAIL_COLUMNS)}, %(date)s, %(now)s)
                FROM {tables.resolved} r
                WHERE r.details_changed AND p.id = r.person_id
                RETURNING p.*
            ), history AS (
                INSERT INTO people_historicalperson (id, {history}, history_date, history_change_reason,
                    history_type, history_user_id)
                SELECT id, {history}, %(now)s, %(reason)s, '~', %(user)s FROM changed
            ), logged AS (
                {log.insert_from("(SELECT id AS person_id, crn, id FROM changed)", "person")}
            )
            SELECT count(*) FROM changed
            """,  # noqa: S608 - column names are this module's constants
            params,
        )
        updated = cursor.fetchone()[0]
        cursor.execute(
            f"""
            WITH created AS (
                INSERT INTO people_person (crn, {details}, pom_name, pom_contact, as_at, created_at, updated_at)
                SELECT r.crn, {", ".join(f"r.{c}" for c in PERSON_DETAIL_COLUMNS)}, '', '', %(date)s, %(now)s, %(now)s
                FROM {tables.resolved} r WHERE r.person_id IS NULL AND NOT r.absent
                ORDER BY r.crn
                RETURNING *
            ), history AS (
                INSERT INTO people_historicalperson (id, {history}, history_date, history_change_reason,
                    history_type, history_user_id)
                SELECT id, {history}, %(now)s, %(reason)s, '+', %(user)s FROM created
            )
            UPDATE {tables.resolved} r SET person_id = created.id FROM created WHERE r.crn = created.crn
            """,  # noqa: S608 - column names are this module's constants
            params,
        )
        created = cursor.rowcount
    return created, updated


# The columns whose change makes a new screening version (versions.py).
SCREENING_VALUE_COLUMNS = SOURCE_VALUE_COLUMNS


def _record_screenings(extract: Extract, tables: _StagingTables, log: _CollectionLog) -> int:
    """Close each version in force that this extract does not repeat (values, PDU or rule
    changed, or the person not in it), then add a version for everyone left without one,
    each logged. People whose values are as before get nothing written (ADR 0018)."""
    params = {
        "extract": extract.pk,
        "date": extract.extract_date,
        "rule_version": RULE_VERSION,
        **log.params,
    }
    values = ", ".join(VERSION_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE screening_screening c SET until = %(date)s FROM {tables.resolved} r
            WHERE (r.version_changed OR r.absent) AND c.id = r.current_id
            """,  # noqa: S608 - the table is this import's own
            params,
        )
        cursor.execute(
            f"""
            WITH added AS (
                INSERT INTO screening_screening (person_id, extract_id, as_at, {values},
                    criteria_met, criteria_met_count)
                SELECT r.person_id, %(extract)s, %(date)s, r.pdu_id, %(rule_version)s,
                    {", ".join(f"r.{c}" for c in SOURCE_VALUE_COLUMNS)}, r.criteria_met,
                    cardinality(r.criteria_met)
                FROM {tables.resolved} r WHERE r.version_changed
                ORDER BY r.person_id
                RETURNING id, person_id
            ), logged AS (
                {log.insert_from("(SELECT a.id, a.person_id, r.crn FROM added a JOIN " + tables.resolved + " r ON r.person_id = a.person_id)", "screening")}
            )
            SELECT count(*) FROM added
            """,  # noqa: S608 - column names are this module's constants
            params,
        )
        return cursor.fetchone()[0]


def extract_upload_create(*, uploaded_file, uploaded_by: User) -> ExtractUpload:
    """Keep an uploaded extract and queue its import in the background."""
    from .tasks import import_extract_upload

    with transaction.atomic():
        upload = ExtractUpload(filename=uploaded_file.name[:255], uploaded_by=uploaded_by)
        upload.file.save(f"{upload.id}.csv", uploaded_file, save=False)
        upload.save()
        transaction.on_commit(lambda: import_extract_upload.delay(str(upload.id)))
    return upload


def extract_upload_process(*, upload: ExtractUpload) -> ExtractUpload:
    """Import an uploaded file, recording progress and the outcome on the upload; the file is then deleted."""
    if upload.is_finished or not upload.file:
        return upload  # a redelivered task: the work is done

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

ADVISORY_LOCK_NAMESPACE = 7_301  # arbitrary, this project's own
LISTED = [MonthlyListEntry.Status.NEW, MonthlyListEntry.Status.LISTED_AGAIN]


def first_of_month(value: date) -> date:
    return value.replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class MonthlyListRun:
    month: date
    extract: Extract
    created: list[MonthlyList]
    already_generated: int


def monthly_list_generate(*, month: date) -> MonthlyListRun:
    """List, per PDU, the people meeting the threshold on the latest extract; a rerun changes nothing."""
    month = first_of_month(month)
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    threshold = settings.SCREENING_THRESHOLD
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Two runs for the same month queue here; the second then finds every list made.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [ADVISORY_LOCK_NAMESPACE, month.year * 100 + month.month],
            )
        extract = (
            Extract.objects.filter(extract_date__lte=month_end).order_by("-extract_date").first()
        )
        if extract is None:
            raise ScreeningError(
                f"No extract dated on or before {month_end:%-d %B %Y} has been imported"
            )
        done = set(MonthlyList.objects.filter(month=month).values_list("pdu_id", flat=True))
        created = MonthlyList.objects.bulk_create(
            [
                MonthlyList(
                    month=month,
                    pdu=pdu,
                    extract=extract,
                    threshold=threshold,
                    rule_version=RULE_VERSION,
                )
                for pdu in ProbationDeliveryUnit.objects.filter(disabled_on__isnull=True).exclude(
                    pk__in=done
                )
            ]
        )
        if created:
            _monthly_list_entries_create(
                created, extract=extract, threshold=threshold, last_month=previous_month(month)
            )
        if created:
            from .tasks import notify_monthly_list_ready

            ids = [monthly_list.pk for monthly_list in created]
            transaction.on_commit(lambda: [notify_monthly_list_ready.delay(pk) for pk in ids])
    return MonthlyListRun(
        month=month, extract=extract, created=created, already_generated=len(done)
    )


# Every new list's entries in one statement (at national scale, 110 PDUs and 250,000
# screenings: a query per PDU was most of the job's time). For each PDU's list:
# - people meeting the threshold there: "listed again" if listed anywhere last month
#   (someone who moved here is not "new"), otherwise "new";
# - people listed there last month who are not listed there now: "no longer listed",
#   with their screening in force at this extract if they have one.
MONTHLY_LIST_ENTRIES_SQL = """
WITH lists AS (
    SELECT * FROM unnest(%(list_ids)s::bigint[], %(pdu_ids)s::bigint[]) AS l(id, pdu_id)
), listed AS (
    SELECT s.person_id, s.id AS screening_id, s.pdu_id FROM screening_screening s
    WHERE s.as_at <= %(as_at)s AND (s.until IS NULL OR s.until > %(as_at)s)
        AND s.criteria_met_count >= %(threshold)s
), last_month AS (
    SELECT e.person_id, l.pdu_id FROM screening_monthlylistentry e
    JOIN screening_monthlylist l ON l.id = e.monthly_list_id
    WHERE l.month = %(last_month)s AND e.status IN ('new', 'listed_again')
)
INSERT INTO screening_monthlylistentry (monthly_list_id, person_id, screening_id, status)
SELECT lists.id, x.person_id, x.screening_id, x.status FROM (
    SELECT li.pdu_id, li.person_id, li.screening_id,
        CASE WHEN EXISTS (SELECT 1 FROM last_month m WHERE m.person_id = li.person_id)
            THEN 'listed_again' ELSE 'new' END AS status
    FROM listed li
    UNION ALL
    SELECT m.pdu_id, m.person_id, s.id, 'no_longer_listed'
    FROM last_month m
    LEFT JOIN screening_screening s ON s.person_id = m.person_id
        AND s.as_at <= %(as_at)s AND (s.until IS NULL OR s.until > %(as_at)s)
    WHERE NOT EXISTS (SELECT 1 FROM listed li WHERE li.person_id = m.person_id AND li.pdu_id = m.pdu_id)
) x JOIN lists ON lists.pdu_id = x.pdu_id
"""


def _monthly_list_entries_create(
    lists: list[MonthlyList], *, extract: Extract, threshold: int, last_month: date
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            MONTHLY_LIST_ENTRIES_SQL,
            {
                "list_ids": [monthly_list.pk for monthly_list in lists],
                "pdu_ids": [monthly_list.pdu_id for monthly_list in lists],
                "as_at": extract.extract_date,
                "threshold": threshold,
                "last_month": last_month,
            },
        )


def monthly_list_notify(*, monthly_list: MonthlyList) -> int:
    """Email the PDU's SPOs and heads of service that the list is ready: a link and counts, no names."""
    from complexcases.core.email import email_message

    recipients = sorted(
        User.objects.filter(
            is_active=True,
            pdu=monthly_list.pdu,
            groups__name__in=[Role.SENIOR_PROBATION_OFFICER, Role.HEAD_OF_SERVICE],
        )
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    counts = {status: 0 for status in MonthlyListEntry.Status.values}
    for status in monthly_list.entries.values_list("status", flat=True):
        counts[status] += 1
    link = (
        settings.SITE_URL.rstrip("/")
        + reverse("screening:monthly-list")
        + (f"?month={monthly_list.month:%Y-%m}&pdu={monthly_list.pdu.code}")
    )
    month_name = f"{monthly_list.month:%B %Y}"
    body = (
        f"The complex cases list for {monthly_list.pdu.name} for {month_name} is ready.\n\n"
        f"New this month: {counts['new']}\n"
        f"Listed again: {counts['listed_again']}\n"
        f"No longer listed: {counts['no_longer_listed']}\n\n"
        f"See the list and record reflective conversations: {link}\n\n"
        "Each practitioner should talk about each listed case with their SPO and record the conversation.\n"
    )
    email_message(
        subject=f"Complex cases list for {month_name} is ready: {monthly_list.pdu.name}",
        body=body,
        to=recipients,
        template="monthly-list-ready",
        personalisation={
            "pdu": monthly_list.pdu.name,
            "month": month_name,
            "new": str(counts["new"]),
            "listed_again": str(counts["listed_again"]),
            "no_longer_listed": str(counts["no_longer_listed"]),
            "link": link,
        },
    ).send()
    return len(recipients)


# Reflective conversations and overrides ---------------------------------------------------------


def reflective_conversation_record(
    *,
    entry: MonthlyListEntry,
    held_on: date,
    spo: User,
    notes: str,
    outcome: str,
    recorded_by: User,
) -> ReflectiveConversation:
    """Record the conversation for a listed case (once per case per month)."""
    with transaction.atomic():
        entry = (
            MonthlyListEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
        )
        if entry.status == MonthlyListEntry.Status.NO_LONGER_LISTED:
            raise ScreeningError(
                "This person is no longer listed, so no reflective conversation is needed"
            )
        if ReflectiveConversation.objects.filter(entry=entry).exists():
            raise ScreeningError(
                "A reflective conversation has already been recorded for this case this month"
            )
        if held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": "The date of the conversation must be today or in the past"}
            )
        conversation = ReflectiveConversation(
            entry=entry,
            person=entry.person,
            held_on=held_on,
            spo=spo,
            notes=notes,
            outcome=outcome,
            recorded_by=recorded_by,
        )
        conversation.full_clean()
        conversation.save()
        access_log_record(
            user=recorded_by,
            action=Action.COLLECTION,
            record_type="reflective conversation",
            person=entry.person,
            record_id=conversation.pk,
        )
    return conversation


def pathway_override_record(*, person: Person, reason: str, marked_by: User) -> PathwayOverride:
    """Mark a person below the threshold for the pathway, with the reason; once per extract."""
    from .selectors import current_list_entry

    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        entry = current_list_entry(person)
        if entry is not None and entry.status != MonthlyListEntry.Status.NO_LONGER_LISTED:
            raise ScreeningError(
                "This person is on this month's list, so they are already on the pathway"
            )
        latest = Screening.objects.filter(person=person).order_by("-as_at").first()
        # Once per extract: the newest extract, not the start of the person's screening
        # version, which can be months older (ADR 0018).
        newest_extract = (
            Extract.objects.order_by("-extract_date").values_list("extract_date", flat=True).first()
        )
        already = PathwayOverride.objects.filter(person=person)
        if newest_extract is not None:
            already = already.filter(marked_at__date__gte=newest_extract)
        if already.exists():
            raise ScreeningError(
                "This person has already been marked for the pathway since the latest extract"
            )
        override = PathwayOverride(
            person=person,
            reason=reason,
            criteria_met_count=latest.criteria_met_count if latest else None,
            marked_by=marked_by,
        )
        override.full_clean()
        override.save()
        access_log_record(
            user=marked_by,
            action=Action.COLLECTION,
            record_type="pathway override",
            person=person,
            record_id=override.pk,
        )
    return override
