"""Heard cases, their comparison people and everyone's state after the hearing, read in SQL.

Two statements (ADR 0053): the heard cases with their state at the hearing, and one row per
person (heard or comparison) per horizon with their state in the first extract dated at
least that many months after the hearing. The matching is exact, in SQL; no person's id
leaves the database, only the case's and the comparison person's rank within it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from ..measures import HORIZONS, State, measure_values

LONDON = "Europe/London"

# The threshold an extract was listed at: its lists' (they agree), or today's setting.
CASES_CTE = """
WITH thresholds AS (
    SELECT e.extract_date, coalesce(max(l.threshold), %(threshold)s) AS threshold
    FROM screening_extract e
    LEFT JOIN screening_monthlylist l ON l.extract_id = e.id
    GROUP BY e.extract_date
), first_hearings AS (
    SELECT DISTINCT ON (b.case_id) b.case_id, b.person_id, b.triage_record_id,
        (s.starts_at AT TIME ZONE %(tz)s)::date AS heard_on
    FROM panel_panelbooking b
    JOIN panel_panelslot s ON s.id = b.slot_id
    WHERE b.status = 'heard'
    ORDER BY b.case_id, s.starts_at, b.id
), cases AS (
    SELECT h.case_id, h.person_id, h.heard_on, base.extract_date AS baseline,
        t.threshold AS threshold0, v.id IS NOT NULL AS in_extract0,
        v.criteria_met_count AS count0, v.rosh_level AS rosh0,
        coalesce(v.pdu_id, p.pdu_id) AS pdu_id,
        ARRAY(
            SELECT DISTINCT bt.theme_id FROM triage_triageblocker tb
            JOIN triage_triageblocker_themes bt ON bt.triageblocker_id = tb.id
            WHERE tb.record_id = h.triage_record_id ORDER BY 1
        ) AS themes
    FROM first_hearings h
    JOIN people_person p ON p.id = h.person_id
    LEFT JOIN LATERAL (
        SELECT e.extract_date FROM screening_extract e WHERE e.extract_date <= h.heard_on
        ORDER BY e.extract_date DESC LIMIT 1
    ) base ON true
    LEFT JOIN thresholds t ON t.extract_date = base.extract_date
    LEFT JOIN screening_screening v ON v.person_id = h.person_id
        AND v.as_at <= base.extract_date AND (v.until IS NULL OR v.until > base.extract_date)
)
"""

CASES_SQL = (
    CASES_CTE
    + """
SELECT c.case_id, c.heard_on, c.baseline, c.pdu_id, d.region_id, c.in_extract0, c.count0,
    c.threshold0, c.themes
FROM cases c JOIN organisation_probationdeliveryunit d ON d.id = c.pdu_id
ORDER BY c.case_id
"""
)

# Comparison people: in force in the case's baseline extract and meeting that extract's
# threshold (listed that month), never referred to triage, in the same region, with the same
# number of criteria and the same ROSH level; up to `per_case` of them in a seeded order.
MATCHES_CTE = f"""{CASES_CTE}, pool AS (
    SELECT b.baseline, v.person_id, d.region_id, v.criteria_met_count, v.rosh_level
    FROM (SELECT DISTINCT baseline, threshold0 FROM cases WHERE in_extract0) b
    JOIN screening_screening v ON v.as_at <= b.baseline
        AND (v.until IS NULL OR v.until > b.baseline) AND v.criteria_met_count >= b.threshold0
    JOIN organisation_probationdeliveryunit d ON d.id = v.pdu_id
    WHERE NOT EXISTS (SELECT 1 FROM triage_triagerequest r WHERE r.person_id = v.person_id)
), matches AS (
    SELECT case_id, person_id, rank FROM (
        SELECT c.case_id, pool.person_id, row_number() OVER (
            PARTITION BY c.case_id
            ORDER BY md5(%(seed)s || ':' || c.case_id || ':' || pool.person_id), pool.person_id
        ) AS rank
        FROM cases c
        JOIN organisation_probationdeliveryunit d ON d.id = c.pdu_id
        JOIN pool ON pool.baseline = c.baseline AND pool.region_id = d.region_id
            AND pool.criteria_met_count = c.count0 AND pool.rosh_level = c.rosh0
        WHERE c.in_extract0 AND c.count0 >= c.threshold0
    ) ranked
    WHERE rank <= %(per_case)s
)
"""  # noqa: S608 - the text is this module's own

# Everyone's state after the hearing: the heard person (rank 0) and each comparison person.
POINTS_SQL = f"""{MATCHES_CTE}, subjects AS (
    SELECT case_id, person_id, 0::bigint AS rank FROM cases
    UNION ALL
    SELECT case_id, person_id, rank FROM matches
), points AS (
    SELECT s.case_id, s.person_id, s.rank, c.baseline, horizon.months, (
        SELECT min(e.extract_date) FROM screening_extract e
        WHERE e.extract_date >= (c.heard_on + make_interval(months => horizon.months))::date
    ) AS at
    FROM subjects s
    JOIN cases c ON c.case_id = s.case_id
    CROSS JOIN unnest(%(horizons)s::int[]) AS horizon(months)
)
SELECT pt.case_id, pt.rank, pt.months, pt.at, v.id IS NOT NULL, v.criteria_met, t.threshold,
    v.rosh_level, v.mappa_level, custody_then.custody_status, custody_before.custody_status,
    EXISTS (
        SELECT 1 FROM people_historicalperson hp
        WHERE hp.id = pt.person_id AND hp.custody_status = 'custody'
            AND hp.as_at > pt.baseline AND hp.as_at <= pt.at
    )
FROM points pt
LEFT JOIN thresholds t ON t.extract_date = pt.at
LEFT JOIN screening_screening v ON v.person_id = pt.person_id
    AND v.as_at <= pt.at AND (v.until IS NULL OR v.until > pt.at)
LEFT JOIN LATERAL (
    SELECT hp.custody_status FROM people_historicalperson hp
    WHERE hp.id = pt.person_id AND hp.as_at <= pt.at
    ORDER BY hp.as_at DESC, hp.history_date DESC, hp.history_id DESC LIMIT 1
) custody_then ON true
LEFT JOIN LATERAL (
    SELECT hp.custody_status FROM people_historicalperson hp
    WHERE hp.id = pt.person_id AND hp.as_at <= pt.baseline
    ORDER BY hp.as_at DESC, hp.history_date DESC, hp.history_id DESC LIMIT 1
) custody_before ON true
ORDER BY pt.case_id, pt.months, pt.rank
"""  # noqa: S608 - the text is this module's own


@dataclass
class Point:
    """One horizon of one case: the heard person's measure values and each comparison person's."""

    at: date
    heard: list[float | None]
    comparison: list[list[float | None]] = field(default_factory=list)


@dataclass
class HeardCase:
    case_id: int
    heard_on: date
    baseline: date | None
    pdu_id: int
    region_id: int
    in_extract: bool
    count: int | None
    threshold: int | None
    themes: list[int]
    matched: int = 0
    points: dict[int, Point] = field(default_factory=dict)

    @property
    def unmatched_reason(self) -> str:
        """Why no comparison people were found ("" when some were)."""
        if self.matched:
            return ""
        if not self.in_extract:
            return "unmatched_not_in_extract"
        if self.count is not None and self.threshold is not None and self.count < self.threshold:
            return "unmatched_below_threshold"
        return "unmatched_no_one_alike"


MATCHES_SQL = f"""{MATCHES_CTE}
SELECT case_id, person_id, rank FROM matches ORDER BY case_id, rank
"""  # noqa: S608 - the text is this module's own


def matches_read(*, threshold: int, seed: str, per_case: int) -> list[tuple[int, int, int]]:
    """(case id, comparison person id, rank) for every match: for tests and for an analyst
    checking the matching by hand; never shown on a page."""
    with connection.cursor() as cursor:
        cursor.execute(MATCHES_SQL, _params(threshold=threshold, seed=seed, per_case=per_case))
        return cursor.fetchall()


def _params(*, threshold: int, seed: str, per_case: int) -> dict:
    return {
        "threshold": threshold,
        "tz": LONDON,
        "seed": seed,
        "per_case": per_case,
        "horizons": list(HORIZONS),
    }


def _state(row) -> State:
    (*_, in_extract, criteria, threshold, rosh, mappa, custody, custody_before, back) = row
    return State(
        in_extract=in_extract,
        criteria=frozenset(criteria or ()),
        threshold=threshold,
        rosh_level=rosh or "",
        mappa_level=mappa,
        in_custody=None if custody is None else custody == "custody",
        community_at_hearing=None if custody_before is None else custody_before == "community",
        back_in_custody=bool(back) and custody_before == "community",
    )


def heard_cases_read(*, threshold: int, seed: str, per_case: int) -> list[HeardCase]:
    """Every case heard at panel (its first hearing), matched, with its trajectory."""
    params = _params(threshold=threshold, seed=seed, per_case=per_case)
    with connection.cursor() as cursor:
        cursor.execute(CASES_SQL, params)
        cases = {
            row[0]: HeardCase(
                case_id=row[0],
                heard_on=row[1],
                baseline=row[2],
                pdu_id=row[3],
                region_id=row[4],
                in_extract=row[5],
                count=row[6],
                threshold=row[7],
                themes=list(row[8] or ()),
            )
            for row in cursor.fetchall()
        }
        cursor.execute(POINTS_SQL, params)
        ranks = defaultdict(set)
        for row in cursor.fetchall():
            case_id, rank, months, at = row[:4]
            if rank:
                ranks[case_id].add(rank)
            if at is None:  # no extract that long after the hearing yet
                continue
            values = measure_values(_state(row))
            if rank == 0:
                cases[case_id].points[months] = Point(at=at, heard=values)
            else:
                cases[case_id].points[months].comparison.append(values)
    for case_id, matched in ranks.items():
        cases[case_id].matched = len(matched)
    return list(cases.values())
