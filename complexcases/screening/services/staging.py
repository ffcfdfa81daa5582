"""The import's pass over its staging tables: resolving rows, upserting people, recording screenings."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone

from complexcases.core.csvimport import ImportProblem, ImportRejected
from complexcases.core.database_roles import STAGING_SCHEMA
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role

from ..extract import split_staff_name
from ..models import (
    Extract,
)
from ..rules import RULE_VERSION
from ..versions import SOURCE_VALUE_COLUMNS, VERSION_COLUMNS

BATCH = 5000


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
