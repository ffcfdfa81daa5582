"""Writes for screening: generating and announcing the monthly list."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role

from ..models import (
    Extract,
    MonthlyList,
    MonthlyListEntry,
)
from ..rules import RULE_VERSION
from .errors import ScreeningError

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
        # Each new list's email is in the outbox in the same transaction: a run killed before
        # the commit leaves neither lists nor emails, and the next run makes both.
        for monthly_list in created:
            monthly_list_notify(monthly_list=monthly_list)
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
    -- An index look-up (screening_person_latest) for each of the few people no longer listed,
    -- where a join hashed all 250,000 versions in force (issue #22: 0.3 s of the job). One
    -- version is in force at a date; LIMIT 1 keeps the planner from flattening this into a join.
    LEFT JOIN LATERAL (
        SELECT s.id FROM screening_screening s WHERE s.person_id = m.person_id
            AND s.as_at <= %(as_at)s AND (s.until IS NULL OR s.until > %(as_at)s)
        ORDER BY s.as_at DESC LIMIT 1
    ) s ON true
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
    """Queue the email to the PDU's SPOs and heads of service that the list is ready: a link and
    counts, no names. Call in the transaction that made the list."""
    from complexcases.core.email import email_queue

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
    email_queue(
        subject=f"Complex cases list for {month_name} is ready: {monthly_list.pdu.name}",
        body=body,
        to=recipients,
        record_type="monthly list",
        record_id=monthly_list.pk,
        template="monthly-list-ready",
        personalisation={
            "pdu": monthly_list.pdu.name,
            "month": month_name,
            "new": str(counts["new"]),
            "listed_again": str(counts["listed_again"]),
            "no_longer_listed": str(counts["no_longer_listed"]),
            "link": link,
        },
    )
    return len(recipients)


# Reflective conversations and overrides ---------------------------------------------------------
