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
  and, for a person who moved PDU and still meets it, on the old PDU's list as well (they
  are *listed again* on the new PDU's). The docs did not say this: the first version of
  this floor, written from them, left movers off the old PDU's list, and the benchmark's
  comparison found 14 such entries at national scale. The product's behaviour is the tested
  one (`test_a_person_who_moves_pdu_is_listed_again_not_new`), so docs/screening.md now says it;
- a list that exists is never changed (one list per month and PDU).

The statement pairs the versions in force that meet the threshold with the previous month's
list in one full join on the person; the few people no longer meeting it have their version
in force looked up by person.
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
), meeting AS (
    -- The versions in force at the extract that meet the threshold.
    SELECT v.id, v.person_id, v.pdu_id
    FROM screening_screening v CROSS JOIN source s
    WHERE v.as_at <= s.extract_date AND (v.until IS NULL OR v.until > s.extract_date)
        AND v.criteria_met_count >= %(threshold)s
), on_last_list AS (
    SELECT e.person_id, l.pdu_id
    FROM screening_monthlylistentry e JOIN screening_monthlylist l ON l.id = e.monthly_list_id
    WHERE l.month = %(previous_month)s AND e.status IN ('new', 'listed_again')
), paired AS MATERIALIZED (
    SELECT f.id AS screening_id, f.pdu_id, f.id IS NOT NULL AS meets,
        p.person_id AS last_person_id, p.pdu_id AS last_pdu_id,
        coalesce(f.person_id, p.person_id) AS person_id
    FROM meeting f FULL JOIN on_last_list p ON p.person_id = f.person_id
), entries AS (
    SELECT pdu_id, person_id, screening_id,
        CASE WHEN last_person_id IS NULL THEN 'new' ELSE 'listed_again' END AS status
    FROM paired WHERE meets
    UNION ALL
    -- Moved PDU and still listed: the version in force is the one that meets.
    SELECT last_pdu_id, person_id, screening_id, 'no_longer_listed'
    FROM paired WHERE meets AND last_person_id IS NOT NULL AND pdu_id <> last_pdu_id
    UNION ALL
    -- Not meeting the threshold now: their version in force, if any, by the person's index.
    SELECT p.last_pdu_id, p.person_id, v.id, 'no_longer_listed'
    FROM paired p CROSS JOIN source s
    LEFT JOIN LATERAL (
        SELECT v.id FROM screening_screening v WHERE v.person_id = p.person_id
            AND v.as_at <= s.extract_date AND (v.until IS NULL OR v.until > s.extract_date)
        ORDER BY v.as_at DESC LIMIT 1  -- one is in force at a date; a look-up, not a join
    ) v ON true
    WHERE NOT p.meets
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
