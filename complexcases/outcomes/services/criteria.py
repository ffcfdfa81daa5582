"""What makes a complex case: people by PDU and combination of criteria, and how far they went.

Three INSERT … SELECT statements into `outcomes_criteriagroup` (see the model for each kind),
and one from the latest extract's groups into `outcomes_thresholdcount` (the what-if).
Criteria are read from the screening versions (ADR 0018), "listed" is meeting the threshold of
the lists made from that extract (the monthly list's own rule), and the pathway's steps from
the triage and panel records. Dates are compared as days in Europe/London.
"""

from datetime import date

from django.db import connection

LONDON = "Europe/London"

# The pathway after a date: a triage request, a referral to panel, a hearing, for person f.
_FUNNEL = """
    count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM triage_triagerequest r WHERE r.person_id = f.person_id
            AND (r.requested_at AT TIME ZONE %(tz)s)::date >= f.since
    )),
    count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM triage_triagerequest r JOIN triage_triagerecord t ON t.request_id = r.id
        WHERE r.person_id = f.person_id AND t.outcome = 'refer_to_panel'
            AND (r.requested_at AT TIME ZONE %(tz)s)::date >= f.since
    )),
    count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM panel_panelbooking b JOIN panel_panelslot s ON s.id = b.slot_id
        WHERE b.person_id = f.person_id AND b.status = 'heard'
            AND (s.starts_at AT TIME ZONE %(tz)s)::date >= f.since
    ))
"""

LISTED_SQL = f"""
WITH window_extracts AS (
    SELECT e.extract_date, coalesce(max(l.threshold), %(threshold)s) AS threshold
    FROM screening_extract e
    LEFT JOIN screening_monthlylist l ON l.extract_id = e.id
    WHERE e.extract_date >= %(window_start)s
    GROUP BY e.extract_date
), first_listed AS (
    SELECT DISTINCT ON (v.person_id) v.person_id, v.pdu_id, v.criteria_met, w.extract_date AS since
    FROM window_extracts w
    JOIN screening_screening v ON v.as_at <= w.extract_date
        AND (v.until IS NULL OR v.until > w.extract_date) AND v.criteria_met_count >= w.threshold
    ORDER BY v.person_id, w.extract_date
)
INSERT INTO outcomes_criteriagroup (kind, pdu_id, criteria_met, people, requested, referred, heard)
SELECT 'listed', f.pdu_id, f.criteria_met, count(*), {_FUNNEL}
FROM first_listed f
GROUP BY f.pdu_id, f.criteria_met
"""  # noqa: S608 - the text is this module's own

# Brought onto the pathway below the threshold: marked for it, or a triage request saying why.
BELOW_SQL = f"""
WITH overrides AS (
    SELECT o.person_id, (o.marked_at AT TIME ZONE %(tz)s)::date AS since
    FROM screening_pathwayoverride o
    UNION ALL
    SELECT r.person_id, (r.requested_at AT TIME ZONE %(tz)s)::date
    FROM triage_triagerequest r WHERE r.below_threshold_reason <> ''
), first_override AS (
    SELECT DISTINCT ON (o.person_id) o.person_id, o.since
    FROM overrides o
    WHERE o.since >= %(window_start)s
    ORDER BY o.person_id, o.since
), f AS (
    SELECT o.person_id, o.since, coalesce(v.pdu_id, p.pdu_id) AS pdu_id, v.criteria_met
    FROM first_override o
    JOIN people_person p ON p.id = o.person_id
    LEFT JOIN screening_screening v ON v.person_id = o.person_id
        AND v.as_at <= o.since AND (v.until IS NULL OR v.until > o.since)
)
INSERT INTO outcomes_criteriagroup (kind, pdu_id, criteria_met, people, requested, referred, heard)
SELECT 'below', f.pdu_id, f.criteria_met, count(*), {_FUNNEL}
FROM f
GROUP BY f.pdu_id, f.criteria_met
"""  # noqa: S608 - the text is this module's own

CURRENT_SQL = """
INSERT INTO outcomes_criteriagroup (kind, pdu_id, criteria_met, people, requested, referred, heard)
SELECT 'current', v.pdu_id, v.criteria_met, count(*), 0, 0, 0
FROM screening_screening v
WHERE v.until IS NULL
GROUP BY v.pdu_id, v.criteria_met
"""


# From the latest extract's groups: each PDU at each threshold, with each criterion left out.
THRESHOLD_SQL = """
INSERT INTO outcomes_thresholdcount (pdu_id, threshold, left_out, people)
SELECT g.pdu_id, t.threshold, c.left_out, coalesce(sum(g.people) FILTER (
    WHERE cardinality(g.criteria_met) - (c.left_out = ANY(g.criteria_met))::int >= t.threshold
), 0)
FROM outcomes_criteriagroup g
CROSS JOIN generate_series(%(lowest)s, %(highest)s) AS t(threshold)
CROSS JOIN generate_series(0, 8) AS c(left_out)
WHERE g.kind = 'current'
GROUP BY g.pdu_id, t.threshold, c.left_out
"""
THRESHOLDS = (4, 8)  # the what-if's lowest and highest thresholds


def criteria_groups_rebuild(*, threshold: int, window_start: date | None) -> None:
    """Replace every criteria group (inside the refresh's transaction)."""
    params = {"threshold": threshold, "window_start": window_start, "tz": LONDON}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM outcomes_thresholdcount")
        cursor.execute("DELETE FROM outcomes_criteriagroup")
        if window_start is None:
            return
        cursor.execute(LISTED_SQL, params)
        cursor.execute(BELOW_SQL, params)
        cursor.execute(CURRENT_SQL)
        cursor.execute(THRESHOLD_SQL, {"lowest": THRESHOLDS[0], "highest": THRESHOLDS[1]})
