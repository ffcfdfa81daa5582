"""Counted by case (ADR 0042): cases opened, triaged, heard and closed by outcome in the period,
and how long cases spend in each stage, from the case's status history.

Two queries whatever the data: one aggregate over the cases (opened, closed by reason) and one
over their history (entering and leaving each status, the median and 90th percentile days).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from complexcases.cases.models import Case

from ..figures import DAYS, Figure, Measure, Row
from ..periods import Period
from ..scope import Scope
from .aggregates import within

Status = Case.Status
STAGES = [status for status in Status if status != Status.CLOSED]

# One stint per stay in a status: consecutive history rows with the same status are one stay
# (LAG drops the repeats), and a stay ends when the next one starts (LEAD). A stay still
# running has no end and is not timed. Days are calendar days in the service's time zone,
# never negative, as everywhere on the dashboard.
_STAGES_SQL = """
WITH changes AS (
    SELECT id, status, history_date, history_id,
           LAG(status) OVER (PARTITION BY id ORDER BY history_date, history_id) AS previous
    FROM cases_historicalcase
    WHERE id IN ({cases}) AND history_date < %s
), stints AS (
    SELECT id, status, history_date AS started_at,
           LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS ended_at
    FROM changes
    WHERE previous IS NULL OR previous <> status
)
SELECT status,
       COUNT(DISTINCT id) FILTER (WHERE started_at >= %s AND started_at < %s) AS entered,
       COUNT(DISTINCT id) FILTER (WHERE ended_at >= %s AND ended_at < %s) AS left_stage,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY days)
           FILTER (WHERE ended_at >= %s AND ended_at < %s) AS median,
       PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY days)
           FILTER (WHERE ended_at >= %s AND ended_at < %s) AS p90
FROM (
    SELECT id, status, started_at, ended_at,
           GREATEST(
               (ended_at AT TIME ZONE %s)::date - (started_at AT TIME ZONE %s)::date, 0
           ) AS days
    FROM stints
) AS timed
GROUP BY status
"""


def _scoped_cases(scope: Scope):
    return Case.objects.filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))


def case_stages(*, scope: Scope, period: Period) -> dict[str, dict]:
    """For each status: the cases that entered it and left it in the period, and the median and
    90th percentile days of the stays that ended in the period."""
    # A case with a stay starting or ending in the period has moved since it began, and rows
    # after the period end no stay in it: the rest of the history need not be read.
    moved = _scoped_cases(scope).filter(status_changed_at__gte=period.start_at)
    try:
        cases, case_params = moved.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return {}
    window = [period.start_at, period.end_at]
    zone = timezone.get_current_timezone_name()
    with connection.cursor() as cursor:
        cursor.execute(
            _STAGES_SQL.format(cases=cases), [*case_params, period.end_at, *window * 4, zone, zone]
        )
        columns = [column.name for column in cursor.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def case_counts(*, scope: Scope, period: Period) -> dict:
    """Cases opened in the period, and those closed in it by reason."""
    closed = within("closed_at", period)
    measures = {"opened": Count("pk", filter=within("opened_at", period))}
    for reason in Case.ClosedReason:
        measures[reason.value] = Count("pk", filter=closed & Q(closed_reason=reason))
    return _scoped_cases(scope).aggregate(**measures)


def case_figures(*, scope: Scope, period: Period) -> list[Figure]:
    """The dashboard's "Cases" section: counts by case, and the days spent in each stage."""
    stages = case_stages(scope=scope, period=period)
    counts = case_counts(scope=scope, period=period)

    def stage(status: str, key: str):
        """A count with nothing is 0; a median or percentile with nothing is None."""
        value = (stages.get(status) or {}).get(key)
        return value if value is not None or key in ("median", "p90") else 0

    return [
        Figure(
            slug="cases",
            title="Cases",
            description=f"Cases opened, triaged (the triage outcome recorded), heard at panel and closed, {period.label}, each case counted once in each line.",
            category="Cases",
            measures=[Measure("Cases")],
            rows=[
                Row("Opened", (counts["opened"],)),
                Row("Triaged", (stage(Status.TRIAGE_HELD, "left_stage"),)),
                Row("Heard at panel", (stage(Status.HEARD, "entered"),)),
                *[
                    Row(f"Closed: {reason.label}", (counts[reason.value],))
                    for reason in Case.ClosedReason
                ],
            ],
        ),
        Figure(
            slug="days-in-each-stage",
            title="Days in each stage",
            description=f"Cases that left each stage {period.label}, and the calendar days they spent in it (the median and the 90th percentile). A stay still running is not counted.",
            category="Stage",
            measures=[
                Measure("Cases"),
                Measure("Median days", DAYS, base=0),
                Measure("90th percentile days", DAYS, base=0),
            ],
            rows=[
                Row(
                    status.label,
                    (
                        stage(status, "left_stage"),
                        stage(status, "median"),
                        stage(status, "p90"),
                    ),
                )
                for status in STAGES
            ],
        ),
    ]
