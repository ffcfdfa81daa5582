"""Rebuild every outcomes summary in one transaction (ADR 0054)."""

import time
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from complexcases.organisation.models import ProbationDeliveryUnit, Region
from complexcases.screening.models import Extract
from panel.models import FollowUp, PanelAction, PanelBooking

from ..bootstrap import REPLICATES
from ..models import OutcomeFigure, OutcomesRefresh
from .criteria import criteria_groups_rebuild
from .figures import CaseExtras, figures_for
from .trajectories import heard_cases_read

ADVISORY_LOCK_NAMESPACE = 7_353  # this project's advisory lock keys (screening has 7_301, 7_302)
SEED = "complex-cases-outcomes-1"  # change it and every interval moves a little: say so in the docs
COMPARISON_PER_CASE = 5
WINDOW_MONTHS = 12


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def case_extras(*, today: date) -> CaseExtras:
    """Per heard case: a check-in done, the early outcomes recorded, and its actions due by today."""
    heard = Q(booking__status=PanelBooking.Status.HEARD)
    completed = FollowUp.objects.filter(heard, status=FollowUp.Status.COMPLETED)
    followed_up = set(completed.values_list("booking__case_id", flat=True).distinct())
    early_outcomes = defaultdict(set)
    for case_id, outcome_id in (
        completed.filter(early_outcomes__isnull=False)
        .values_list("booking__case_id", "early_outcomes")
        .distinct()
    ):
        early_outcomes[case_id].add(outcome_id)
    Status = PanelAction.Status
    due = Q(due_date__lte=today) & ~Q(status=Status.NOT_NEEDED)
    done = due & Q(status=Status.DONE)
    actions = {
        row["booking__case_id"]: (row["due"], row["on_time"], row["late"], row["not_done"])
        for row in PanelAction.objects.filter(heard)
        .values("booking__case_id")
        .annotate(
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=done & Q(closed_at__date__lte=F("due_date"))),
            late=Count("pk", filter=done & Q(closed_at__date__gt=F("due_date"))),
            not_done=Count("pk", filter=due & Q(status=Status.OPEN)),
        )
        .order_by()
    }
    return CaseExtras(followed_up=followed_up, early_outcomes=dict(early_outcomes), actions=actions)


def outcomes_refresh(*, replicates: int = REPLICATES) -> OutcomesRefresh:
    """Recompute every figure the outcomes pages show, from the records as they are now.

    Safe to run at any time and twice at once (the second waits, then does the same work):
    the pages read the figures of the last finished refresh, never half a rebuild.
    """
    started, clock = timezone.now(), time.monotonic()
    threshold = settings.SCREENING_THRESHOLD
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [ADVISORY_LOCK_NAMESPACE])
        latest = Extract.objects.aggregate(latest=Max("extract_date"))["latest"]
        window_start = None
        if latest is not None:
            window_start = (
                Extract.objects.filter(extract_date__gt=_months_before(latest, WINDOW_MONTHS))
                .order_by("extract_date")
                .values_list("extract_date", flat=True)
                .first()
            )
        cases = heard_cases_read(threshold=threshold, seed=SEED, per_case=COMPARISON_PER_CASE)
        figures = figures_for(
            cases,
            case_extras(today=timezone.localdate()),
            region_codes=dict(Region.objects.values_list("pk", "code")),
            pdu_codes=dict(ProbationDeliveryUnit.objects.values_list("pk", "code")),
            seed=SEED,
            replicates=replicates,
        )
        OutcomeFigure.objects.all().delete()
        OutcomeFigure.objects.bulk_create(figures, batch_size=5000)
        criteria_groups_rebuild(threshold=threshold, window_start=window_start)
        OutcomesRefresh.objects.all().delete()  # the latest is the one the pages say
        return OutcomesRefresh.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            latest_extract=latest,
            window_start=window_start,
            threshold=threshold,
            seed=SEED,
            replicates=replicates,
            comparison_per_case=COMPARISON_PER_CASE,
            heard_cases=len(cases),
            seconds=round(time.monotonic() - clock, 2),
        )
