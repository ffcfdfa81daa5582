"""The monthly list for every PDU: the real job, as Celery runs it, vs one hand-written INSERT … SELECT.

The month is the one after the newest list (the generator's data leaves it ungenerated),
listing from the newest extract. Both runs are rolled back. The floor must produce the
same entries (counted by status) or the benchmark fails: a floor that does less would flatter the job.
"""

from . import Rollback, django_from_argv, emit, peak_rss_mb, timed

REPEATS = 2

FLOOR_SQL = """
WITH lists AS (
    INSERT INTO screening_monthlylist (month, pdu_id, extract_id, threshold, rule_version, generated_at)
    SELECT %(month)s, d.id, %(extract)s, %(threshold)s, %(rule_version)s, now()
    FROM organisation_probationdeliveryunit d WHERE d.disabled_on IS NULL
    RETURNING id, pdu_id
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


def entry_counts(month) -> dict:
    from django.db.models import Count

    from complexcases.screening.models import MonthlyListEntry

    return dict(
        MonthlyListEntry.objects.filter(monthly_list__month=month)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def main() -> None:
    django_from_argv()
    import calendar

    from django.conf import settings
    from django.db import connection, transaction

    from complexcases.screening.models import Extract, MonthlyList
    from complexcases.screening.rules import RULE_VERSION
    from complexcases.screening.services import previous_month
    from complexcases.screening.tasks import generate_monthly_list

    newest = MonthlyList.objects.order_by("-month").values_list("month", flat=True).first()
    month = (newest.replace(day=28) + __import__("datetime").timedelta(days=4)).replace(day=1)
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    extract = Extract.objects.filter(extract_date__lte=month_end).order_by("-extract_date").first()
    jobs, floors = [], []
    job_counts = floor_counts = None
    for _ in range(REPEATS):
        try:
            with transaction.atomic():
                with timed(jobs):
                    # What the worker runs for the beat entry (the task, its service, its queries).
                    generate_monthly_list.apply(args=[f"{month:%Y-%m}"]).get()
                job_counts = entry_counts(month)
                raise Rollback
        except Rollback:
            pass
    job_rss = peak_rss_mb()
    for _ in range(REPEATS):
        try:
            with transaction.atomic():
                with timed(floors), connection.cursor() as cursor:
                    cursor.execute(
                        FLOOR_SQL,
                        {
                            "month": month,
                            "extract": extract.pk,
                            "as_at": extract.extract_date,
                            "threshold": settings.SCREENING_THRESHOLD,
                            "rule_version": RULE_VERSION,
                            "last_month": previous_month(month),
                        },
                    )
                floor_counts = entry_counts(month)
                raise Rollback
        except Rollback:
            pass
    emit(
        name="monthly_list",
        seconds=min(jobs),
        floor_seconds=min(floors),
        all_seconds=jobs,
        all_floor_seconds=floors,
        peak_rss_mb=job_rss,
        entries=job_counts,
        floor_entries=floor_counts,
        same_result=job_counts == floor_counts,
    )


if __name__ == "__main__":
    main()
