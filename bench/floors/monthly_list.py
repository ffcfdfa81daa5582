"""The monthly list's floor: one SQL statement making every active PDU's list for a month.

Written from the rules in the docs (issue #22, decision 5), before reading the product's
SQL for the list. The rules, from docs/screening.md ("The monthly list", "The eight
criteria") and DOMAIN.md ("The process", 1):

- a list for each active PDU, for the month, from the **latest extract dated on or before
  the end of that month**;
- it holds the people whose **screening in force at that extract** (a version is in force
  at D when `as_at <= D` and it has no `until` or `until > D`, ADR 0018) **meets the
  threshold** (`SCREENING_THRESHOLD` criteria or more), in the PDU of that screening;
- *new this month*: not on the previous month's list; *listed again*: on the previous
  month's list too (being on a list means an entry that is new or listed again: "no longer
  listed" is the opposite);
- *no longer listed*: on the previous month's list but not meeting the threshold now, on
  the list of the PDU they were listed in, with the screening in force now if there is one;
- a list that exists is never changed (one list per month and PDU).

The statement pairs everyone's version in force with the previous month's list in one full
join on the person, so each person is looked at once.
"""

import calendar
from datetime import date

STATEMENT = """
WITH source AS (
    SELECT id, extract_date FROM screening_extract
    WHERE extract_date <= %(month_end)s ORDER BY extract_date DESC LIMIT 1
), lists AS (
    INSERT INTO screening_monthlylist (month, pdu_id, extract_id, threshold, rule_version, generated_at)
    SELECT %(month)s, u.id, s.id, %(threshold)s, %(rule_version)s, now()
    FROM organisation_probationdeliveryunit u CROSS JOIN source s
    WHERE u.disabled_on IS NULL OR u.disabled_on > current_date
    ON CONFLICT DO NOTHING
    RETURNING id, pdu_id
), in_force AS (
    SELECT v.id, v.person_id, v.pdu_id, v.criteria_met_count >= %(threshold)s AS meets
    FROM screening_screening v CROSS JOIN source s
    WHERE v.as_at <= s.extract_date AND (v.until IS NULL OR v.until > s.extract_date)
), on_last_list AS (
    SELECT e.person_id, l.pdu_id
    FROM screening_monthlylistentry e JOIN screening_monthlylist l ON l.id = e.monthly_list_id
    WHERE l.month = %(previous_month)s AND e.status IN ('new', 'listed_again')
), entries AS (
    SELECT CASE WHEN f.meets THEN f.pdu_id ELSE p.pdu_id END AS pdu_id,
        coalesce(f.person_id, p.person_id) AS person_id, f.id AS screening_id,
        CASE WHEN NOT coalesce(f.meets, false) THEN 'no_longer_listed'
            WHEN p.person_id IS NULL THEN 'new' ELSE 'listed_again' END AS status
    FROM in_force f FULL JOIN on_last_list p ON p.person_id = f.person_id
    WHERE f.meets OR p.person_id IS NOT NULL
)
INSERT INTO screening_monthlylistentry (monthly_list_id, person_id, screening_id, status)
SELECT l.id, e.person_id, e.screening_id, e.status FROM entries e JOIN lists l ON l.pdu_id = e.pdu_id
"""


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def monthly_list_floor(month: date, *, threshold: int, rule_version: int) -> None:
    """Make the month's lists and entries in the caller's transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            STATEMENT,
            {
                "month": month,
                "month_end": month_end(month),
                "previous_month": previous_month(month),
                "threshold": threshold,
                "rule_version": rule_version,
            },
        )
