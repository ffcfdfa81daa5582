"""After the panel: later extracts in which heard people and everyone else evolve differently,
then the outcomes summaries (ADR 0054), so the national outcomes pages show real figures.

The people step drew every month's values before anyone was heard. Here, set-wise in SQL:

- of the people heard at panel, from the first extract one to three months after their
  first hearing, 60% no longer have alcohol or drugs as a need (criterion 7) and 30% no
  longer a risk of self-harm (criterion 3): their screening versions are split at that
  extract and the later ones changed, as an import would have written them;
- people in the community go back to custody for three months (record-history rows as at
  those extracts, as an import writes them): 10% of everyone over the year, 5% of heard
  people after their hearing.

Then `outcomes_refresh()`, timed (docs/performance.md).
"""

import time

from django.db import connection, transaction

from complexcases.outcomes.services import outcomes_refresh

from . import Context

LONDON = "Europe/London"

CHANGES = """
CREATE TEMPORARY TABLE bench_outcome_changes ON COMMIT DROP AS
WITH heard AS (
    SELECT DISTINCT ON (b.person_id) b.person_id, (s.starts_at AT TIME ZONE %(tz)s)::date AS heard_on
    FROM panel_panelbooking b JOIN panel_panelslot s ON s.id = b.slot_id
    WHERE b.status = 'heard'
    ORDER BY b.person_id, s.starts_at
)
SELECT h.person_id, e.id AS extract_id, e.extract_date AS changed_on,
    mod(h.person_id * 7919, 10) < 6 AS drop_7, mod(h.person_id * 104729, 10) < 3 AS drop_3
FROM heard h
JOIN LATERAL (
    SELECT id, extract_date FROM screening_extract
    WHERE extract_date >= h.heard_on + make_interval(months => 1 + mod(h.person_id, 3)::int)
    ORDER BY extract_date LIMIT 1
) e ON true
WHERE mod(h.person_id * 7919, 10) < 6 OR mod(h.person_id * 104729, 10) < 3
"""

_MET_7 = "CASE WHEN c.drop_7 THEN array_remove(v.criteria_met, 7::smallint) ELSE v.criteria_met END"
_MET = f"CASE WHEN c.drop_3 THEN array_remove({_MET_7}, 3::smallint) ELSE {_MET_7} END"

# A version in force across the change is split there: its copy starts at the change.
SPLIT = [
    """
    CREATE TEMPORARY TABLE bench_outcome_split ON COMMIT DROP AS
    SELECT v.*, c.extract_id AS new_extract_id, c.changed_on
    FROM screening_screening v JOIN bench_outcome_changes c ON c.person_id = v.person_id
    WHERE v.as_at < c.changed_on AND (v.until IS NULL OR v.until > c.changed_on)
    """,
    """
    UPDATE screening_screening v SET until = s.changed_on
    FROM bench_outcome_split s WHERE s.id = v.id
    """,
    """
    INSERT INTO screening_screening (person_id, extract_id, as_at, until, pdu_id, rule_version,
        rosh_level, reg_mental_health_issues, reg_mentally_disordered_offender,
        oasys_10_psychological_problems, oasys_10_psychiatric_problems, reg_suicide_self_harm,
        oasys_10_5_self_harm, rosh_r3_self_harm, oasys_4_8_learning_difficulties, mappa_level,
        mappa_category, opd_screened_in, oasys_alcohol_need, oasys_drugs_need, sentence_type,
        criteria_met, criteria_met_count)
    SELECT person_id, new_extract_id, changed_on, until, pdu_id, rule_version,
        rosh_level, reg_mental_health_issues, reg_mentally_disordered_offender,
        oasys_10_psychological_problems, oasys_10_psychiatric_problems, reg_suicide_self_harm,
        oasys_10_5_self_harm, rosh_r3_self_harm, oasys_4_8_learning_difficulties, mappa_level,
        mappa_category, opd_screened_in, oasys_alcohol_need, oasys_drugs_need, sentence_type,
        criteria_met, criteria_met_count
    FROM bench_outcome_split
    """,
    f"""
    UPDATE screening_screening v SET
        oasys_alcohol_need = v.oasys_alcohol_need AND NOT c.drop_7,
        oasys_drugs_need = v.oasys_drugs_need AND NOT c.drop_7,
        reg_suicide_self_harm = v.reg_suicide_self_harm AND NOT c.drop_3,
        oasys_10_5_self_harm = v.oasys_10_5_self_harm AND NOT c.drop_3,
        rosh_r3_self_harm = v.rosh_r3_self_harm AND NOT c.drop_3,
        criteria_met = {_MET},
        criteria_met_count = cardinality({_MET})
    FROM bench_outcome_changes c
    WHERE c.person_id = v.person_id AND v.as_at >= c.changed_on
    """,  # noqa: S608 - the text is this module's own
]

# Back in custody, and out again three extracts later (so the people's current details, and
# next month's extract, stay as the people step made them): record-history rows as at those
# extracts, as an import writes them.
RECALLS = """
WITH heard AS (
    SELECT b.person_id, min((s.starts_at AT TIME ZONE %(tz)s)::date) AS heard_on
    FROM panel_panelbooking b JOIN panel_panelslot s ON s.id = b.slot_id
    WHERE b.status = 'heard' GROUP BY b.person_id
), candidates AS (
    SELECT p.id, coalesce(h.heard_on, (SELECT min(extract_date) FROM screening_extract)) AS after,
        mod(p.id * 31, 8) AS k
    FROM people_person p LEFT JOIN heard h ON h.person_id = p.id
    WHERE p.custody_status = 'community'
        AND mod(p.id * 6151, 100) < CASE WHEN h.person_id IS NULL THEN 10 ELSE 5 END
), chosen AS (
    SELECT c.id, recall.extract_date AS recalled_on, release.extract_date AS released_on
    FROM candidates c
    JOIN LATERAL (
        SELECT extract_date FROM screening_extract WHERE extract_date > c.after
        ORDER BY extract_date OFFSET c.k LIMIT 1
    ) recall ON true
    JOIN LATERAL (
        SELECT extract_date FROM screening_extract WHERE extract_date > c.after
        ORDER BY extract_date OFFSET c.k + 3 LIMIT 1
    ) release ON true
)
INSERT INTO people_historicalperson (id, crn, surname, forenames, date_of_birth, custody_status,
    expected_release_date, pom_name, pom_contact, as_at, created_at, pdu_id, practitioner_id,
    history_date, history_change_reason, history_type)
SELECT p.id, p.crn, p.surname, p.forenames, p.date_of_birth, status.custody, p.expected_release_date,
    p.pom_name, p.pom_contact, status.as_at, p.created_at, p.pdu_id, p.practitioner_id,
    (status.as_at + time '08:00') AT TIME ZONE %(tz)s, 'Monthly extract as at ' || status.as_at, '~'
FROM chosen c
JOIN people_person p ON p.id = c.id
CROSS JOIN LATERAL (VALUES ('custody', c.recalled_on), ('community', c.released_on)) AS status(custody, as_at)
"""


def generate(context: Context) -> None:
    with transaction.atomic(), connection.cursor() as cursor:  # the scratch tables drop at commit
        cursor.execute(CHANGES, {"tz": LONDON})
        cursor.execute("SELECT count(*) FROM bench_outcome_changes")
        (changed,) = cursor.fetchone()
        for statement in SPLIT:
            cursor.execute(statement)
        cursor.execute(RECALLS, {"tz": LONDON})
        recalls = cursor.rowcount // 2
        cursor.execute("ANALYZE screening_screening")
        cursor.execute("ANALYZE people_historicalperson")
    started = time.monotonic()
    refresh = outcomes_refresh()
    context.counts.update(
        outcomes_heard_people_changed=changed,
        outcomes_back_in_custody=recalls,
        outcomes_heard_cases=refresh.heard_cases,
        outcomes_refresh_seconds=round(time.monotonic() - started, 1),
    )
