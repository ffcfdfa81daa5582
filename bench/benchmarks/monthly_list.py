"""The monthly list for every PDU: the real job, as Celery runs it, vs one hand-written statement.

The floor (`bench/floors/monthly_list.py`) is written from the listing rules in the docs,
not from the product's SQL (issue #22, decision 5). The month is the one after the newest
list (the generator's data leaves it ungenerated), listing from the newest extract. Both
runs are rolled back. The floor must make the same lists and the same entries (each
entry's PDU, person, screening and status) or the benchmark fails: a floor that did less
would flatter the job, and one that disagreed would mean the job or the docs are wrong.
"""

from . import Rollback, django_from_argv, emit, peak_rss_mb, timed

REPEATS = 2


def made(month) -> tuple[list, list]:
    """The month's lists and entries, in a fixed order, to compare the job's with the floor's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pdu_id, extract_id, threshold, rule_version FROM screening_monthlylist"
            " WHERE month = %s ORDER BY pdu_id",
            [month],
        )
        lists = cursor.fetchall()
        cursor.execute(
            "SELECT l.pdu_id, e.person_id, e.screening_id, e.status FROM screening_monthlylistentry e"
            " JOIN screening_monthlylist l ON l.id = e.monthly_list_id WHERE l.month = %s"
            " ORDER BY l.pdu_id, e.person_id",
            [month],
        )
        return lists, cursor.fetchall()


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
    from datetime import timedelta

    from django.conf import settings
    from django.db import transaction

    from bench.floors.monthly_list import monthly_list_floor
    from complexcases.screening.models import MonthlyList
    from complexcases.screening.rules import RULE_VERSION
    from complexcases.screening.tasks import generate_monthly_list

    newest = MonthlyList.objects.order_by("-month").values_list("month", flat=True).first()
    month = (newest.replace(day=28) + timedelta(days=4)).replace(day=1)
    jobs, floors = [], []
    job_counts = floor_counts = job_made = floor_made = None
    for _ in range(REPEATS):
        try:
            with transaction.atomic():
                with timed(jobs):
                    # What the worker runs for the beat entry (the task, its service, its queries).
                    generate_monthly_list.apply(args=[f"{month:%Y-%m}"]).get()
                job_counts, job_made = entry_counts(month), made(month)
                raise Rollback
        except Rollback:
            pass
    job_rss = peak_rss_mb()
    for _ in range(REPEATS):
        try:
            with transaction.atomic():
                with timed(floors):
                    monthly_list_floor(
                        month, threshold=settings.SCREENING_THRESHOLD, rule_version=RULE_VERSION
                    )
                floor_counts, floor_made = entry_counts(month), made(month)
                raise Rollback
        except Rollback:
            pass
    job_lists, job_entries = job_made
    floor_lists, floor_entries = floor_made
    emit(
        name="monthly_list",
        seconds=min(jobs),
        floor_seconds=min(floors),
        all_seconds=jobs,
        all_floor_seconds=floors,
        peak_rss_mb=job_rss,
        entries=job_counts,
        floor_entries=floor_counts,
        lists=len(job_lists),
        same_lists=job_lists == floor_lists,
        same_entries=job_entries == floor_entries,
        # Where they disagree (at most 20 each way), to find which of the job and the docs is wrong.
        only_job=[list(e) for e in sorted(set(job_entries) - set(floor_entries))[:20]],
        only_floor=[list(e) for e in sorted(set(floor_entries) - set(job_entries))[:20]],
        same_result=job_lists == floor_lists and job_entries == floor_entries,
    )


if __name__ == "__main__":
    main()
