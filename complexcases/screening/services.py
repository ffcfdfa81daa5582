"""Writes for screening: importing an extract, generating the monthly list, recording conversations."""

import calendar
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.csvimport import ImportProblem, ImportRejected
from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person

from .extract import CheckedExtract, check_extract, split_staff_name
from .models import (
    Extract,
    ExtractUpload,
    MonthlyList,
    MonthlyListEntry,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from .rules import RULE_VERSION, criteria_met

logger = logging.getLogger(__name__)
IMPORT_LOCK_NAMESPACE = 7_302  # this project's advisory lock keys; see also ADVISORY_LOCK_NAMESPACE
BATCH = 5000
PERSON_FIELDS = (
    "surname",
    "forenames",
    "date_of_birth",
    "pdu",
    "practitioner",
    "custody_status",
    "expected_release_date",
    "as_at",
)


class ScreeningError(Exception):
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
    """Check every row, then land the whole extract in one transaction, or nothing and every problem."""
    if isinstance(source, str):
        with open(source, "rb") as handle:
            content = handle.read()
    elif isinstance(source, bytes):
        content = source
    else:
        content = source.read()
    sha256 = hashlib.sha256(content).hexdigest()
    known_pdus = {
        pdu.code: pdu for pdu in ProbationDeliveryUnit.objects.filter(disabled_on__isnull=True)
    }
    checked = check_extract(
        content, known_pdu_codes=set(known_pdus), today=timezone.localdate(), progress=progress
    )

    if on_saving is not None:
        on_saving()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One import at a time: the "already imported" and "newer extract wins" checks then hold.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [IMPORT_LOCK_NAMESPACE])
        existing = Extract.objects.filter(extract_date=checked.extract_date).first()
        if existing is not None:
            if existing.sha256 == sha256:
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
        practitioners, staff_created = _practitioners_for(checked, known_pdus)
        extract = Extract.objects.create(
            extract_date=checked.extract_date,
            sha256=sha256,
            filename=filename[:255],
            row_count=len(checked.rows),
            imported_by=imported_by,
        )
        created, updated = _upsert_people(checked, known_pdus, practitioners, imported_by)
        _create_screenings(checked, extract, known_pdus)
        _log_collection(extract, imported_by)
    return ExtractImportResult(extract, False, created, updated, staff_created)


def _practitioners_for(checked: CheckedExtract, pdus) -> tuple[dict[str, User], int]:
    """Staff by code; unknown practitioners become staff records that cannot sign in yet."""
    wanted = {row.pp_staff_code: row for row in checked.rows}
    found = {u.staff_code: u for u in User.objects.filter(staff_code__in=wanted)}
    by_email = {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[r.pp_email for c, r in wanted.items() if c not in found]
        )
    }
    problems = []
    to_create = []
    for code, row in wanted.items():
        if code in found:
            continue
        same_email = by_email.get(row.pp_email)
        if same_email is not None:
            if same_email.staff_code and same_email.staff_code != code:
                problems.append(
                    ImportProblem(
                        row.line,
                        "pp_email",
                        row.pp_email,
                        f"This email belongs to staff code {same_email.staff_code} in the service",
                    )
                )
            else:
                found[code] = same_email
            continue
        first, last = split_staff_name(row.pp_name)
        user = User(
            email=row.pp_email,
            first_name=first[:150],
            last_name=last[:150],
            staff_code=code,
            pdu=pdus[row.pdu_code],
            is_active=False,
        )
        user.set_unusable_password()
        to_create.append(user)
    if problems:
        raise ImportRejected(problems)
    User.objects.bulk_create(to_create, batch_size=BATCH)
    practitioner_group = Group.objects.get(name=Role.PROBATION_PRACTITIONER)
    created = {
        u.staff_code: u
        for u in User.objects.filter(staff_code__in=[u.staff_code for u in to_create])
    }
    practitioner_group.user_set.add(*created.values())
    found.update(created)
    return found, len(to_create)


NEW_PERSON_COLUMNS = (
    "crn", "surname", "forenames", "date_of_birth", "pdu_id", "practitioner_id", "custody_status",
    "expected_release_date", "pom_name", "pom_contact", "as_at", "created_at", "updated_at",
)  # fmt: skip
HISTORY_COLUMNS = (
    "crn", "surname", "forenames", "date_of_birth", "custody_status", "expected_release_date", "pom_name",
    "pom_contact", "as_at", "created_at", "pdu_id", "practitioner_id",
)  # fmt: skip


def _upsert_people(checked: CheckedExtract, pdus, practitioners, imported_by) -> tuple[int, int]:
    """New people are created, changed details updated, each with a record-history row; unchanged left alone."""
    reason = f"Monthly extract as at {checked.extract_date.isoformat()}"
    now = timezone.now()
    creates, updated = [], 0
    for start in range(0, len(checked.rows), BATCH):
        batch = checked.rows[start : start + BATCH]
        existing = {p.crn: p for p in Person.objects.filter(crn__in=[r.crn for r in batch])}
        updates, unchanged = [], []
        for row in batch:
            values = {
                "surname": row.surname,
                "forenames": row.forenames,
                "date_of_birth": row.date_of_birth,
                "pdu_id": pdus[row.pdu_code].pk,
                "practitioner_id": practitioners[row.pp_staff_code].pk,
                "custody_status": row.custody_status,
                "expected_release_date": row.expected_release_date,
            }
            current = existing.get(row.crn)
            if current is None:
                creates.append(row)
            elif current.as_at <= checked.extract_date and any(
                getattr(current, field) != value for field, value in values.items()
            ):
                for field, value in values.items():
                    setattr(current, field, value)
                current.as_at, current.updated_at = checked.extract_date, now
                updates.append(current)
            elif current.as_at < checked.extract_date:
                unchanged.append(current.pk)  # same details, newer extract: no history row needed
        bulk_update_with_history(
            updates,
            Person,
            fields=[*PERSON_FIELDS, "updated_at"],
            batch_size=BATCH,
            default_user=imported_by,
            default_change_reason=reason,
        )
        Person.objects.filter(pk__in=unchanged).update(as_at=checked.extract_date)
        updated += len(updates)
    _copy_new_people(
        creates, checked, pdus, practitioners, now=now, reason=reason, imported_by=imported_by
    )
    return len(creates), updated


def _copy_new_people(
    rows, checked: CheckedExtract, pdus, practitioners, *, now, reason, imported_by
) -> None:
    """COPY new people in, then their "created" history rows in one INSERT … SELECT (what
    django-simple-history would write, without a Python object per person)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY people_person ({', '.join(NEW_PERSON_COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(
                    (
                        row.crn, row.surname, row.forenames, row.date_of_birth, pdus[row.pdu_code].pk,
                        practitioners[row.pp_staff_code].pk, row.custody_status, row.expected_release_date, "", "",
                        checked.extract_date, now, now,
                    )
                )  # fmt: skip
        columns = ", ".join(HISTORY_COLUMNS)
        cursor.execute(
            f"INSERT INTO people_historicalperson (id, {columns}, history_date, history_change_reason,"  # noqa: S608
            f" history_type, history_user_id) SELECT id, {columns}, %s, %s, '+', %s FROM people_person"
            " WHERE created_at = %s",
            [now, reason[:100], imported_by.pk if imported_by else None, now],
        )


SCREENING_VALUE_COLUMNS = (
    "rosh_level",
    "reg_mental_health_issues",
    "reg_mentally_disordered_offender",
    "oasys_10_psychological_problems",
    "oasys_10_psychiatric_problems",
    "reg_suicide_self_harm",
    "oasys_10_5_self_harm",
    "rosh_r3_self_harm",
    "oasys_4_8_learning_difficulties",
    "mappa_level",
    "mappa_category",
    "opd_screened_in",
    "oasys_alcohol_need",
    "oasys_drugs_need",
    "sentence_type",
)


def _create_screenings(checked: CheckedExtract, extract: Extract, pdus) -> None:
    """Write every row's screening with COPY: the rows are already checked, and the ORM's
    per-object inserts were most of an import's time at national scale."""
    ids = dict(
        Person.objects.filter(crn__in=[r.crn for r in checked.rows]).values_list("crn", "id")
    )
    columns = (
        "person_id", "extract_id", "as_at", "pdu_id", "rule_version", *SCREENING_VALUE_COLUMNS,
        "criteria_met", "criteria_met_count",
    )  # fmt: skip
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY screening_screening ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in checked.rows:
            met = criteria_met(row.values)
            copy.write_row(
                (
                    ids[row.crn], extract.pk, checked.extract_date, pdus[row.pdu_code].pk, RULE_VERSION,
                    *(row.values[column] for column in SCREENING_VALUE_COLUMNS), met, len(met),
                )
            )  # fmt: skip


def _log_collection(extract: Extract, imported_by: User | None) -> None:
    """One collection row per person in the extract, written in the import's transaction."""
    from complexcases.core.middleware import current_request_id

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_accesslogentry
                (at, user_id, person_id, person_crn, record_type, record_id, action, detail, recipient, request_id)
            SELECT now(), %s, s.person_id, p.crn, 'screening', s.id::text, 'collection', %s, '', %s
            FROM screening_screening s JOIN people_person p ON p.id = s.person_id
            WHERE s.extract_id = %s
            """,
            [
                imported_by.pk if imported_by else None,
                f"Imported in extract as at {extract.extract_date.isoformat()}",
                current_request_id(),
                extract.pk,
            ],
        )


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
            content = handle.read()
        ExtractUpload.objects.filter(pk=upload.pk).update(
            status=ExtractUpload.Status.CHECKING, rows_total=max(content.count(b"\n") - 1, 0)
        )
        result = extract_import(
            source=content,
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
        last_month = previous_month(month)
        created = []
        for pdu in ProbationDeliveryUnit.objects.filter(disabled_on__isnull=True).exclude(
            pk__in=done
        ):
            monthly_list = MonthlyList.objects.create(
                month=month,
                pdu=pdu,
                extract=extract,
                threshold=threshold,
                rule_version=RULE_VERSION,
            )
            listed = dict(
                Screening.objects.filter(
                    extract=extract, pdu=pdu, criteria_met_count__gte=threshold
                ).values_list("person_id", "id")
            )
            listed_here_last_month = set(
                MonthlyListEntry.objects.filter(
                    monthly_list__month=last_month, monthly_list__pdu=pdu, status__in=LISTED
                ).values_list("person_id", flat=True)
            )
            # Someone listed last month in another PDU who moved here is "listed again", not "new".
            listed_last_month = listed_here_last_month | set(
                MonthlyListEntry.objects.filter(
                    monthly_list__month=last_month, person_id__in=listed, status__in=LISTED
                ).values_list("person_id", flat=True)
            )
            dropped = listed_here_last_month - set(listed)
            dropped_screenings = dict(
                Screening.objects.filter(extract=extract, person_id__in=dropped).values_list(
                    "person_id", "id"
                )
            )
            entries = [
                MonthlyListEntry(
                    monthly_list=monthly_list,
                    person_id=person_id,
                    screening_id=screening_id,
                    status=MonthlyListEntry.Status.LISTED_AGAIN
                    if person_id in listed_last_month
                    else MonthlyListEntry.Status.NEW,
                )
                for person_id, screening_id in listed.items()
            ] + [
                MonthlyListEntry(
                    monthly_list=monthly_list,
                    person_id=person_id,
                    screening_id=dropped_screenings.get(person_id),
                    status=MonthlyListEntry.Status.NO_LONGER_LISTED,
                )
                for person_id in dropped
            ]
            MonthlyListEntry.objects.bulk_create(entries, batch_size=BATCH)
            created.append(monthly_list)
        if created:
            from .tasks import notify_monthly_list_ready

            ids = [monthly_list.pk for monthly_list in created]
            transaction.on_commit(lambda: [notify_monthly_list_ready.delay(pk) for pk in ids])
    return MonthlyListRun(
        month=month, extract=extract, created=created, already_generated=len(done)
    )


def monthly_list_notify(*, monthly_list: MonthlyList) -> int:
    """Email the PDU's SPOs and heads of service that the list is ready: a link and counts, no names."""
    from django.core.mail import send_mail

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
    send_mail(
        f"Complex cases list for {month_name} is ready: {monthly_list.pdu.name}",
        body,
        None,
        recipients,
    )
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
        already = PathwayOverride.objects.filter(person=person)
        if latest is not None:
            already = already.filter(marked_at__date__gte=latest.as_at)
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
