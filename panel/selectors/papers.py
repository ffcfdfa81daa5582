"""Panel reads: when papers are released."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from complexcases.core.working_days import add_working_days, is_working_day

from ..models import (
    PanelSession,
)

# Papers -----------------------------------------------------------------------------------------


def papers_release_date(session: PanelSession, *, now=None):
    """Papers go out this many working days before the session (settings.PANEL_PAPERS_WORKING_DAYS).

    For a session booked closer than that, the day has passed: they go out at the next run
    of the daily release job instead, and that is the day to tell people.
    """
    day = timezone.localdate(session.starts_at)
    days = settings.PANEL_PAPERS_WORKING_DAYS
    # Count back working days.
    while days > 0:
        day -= timezone.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    now = timezone.localtime(now or timezone.now())
    release_hour = min(settings.CELERY_BEAT_SCHEDULE["panel-papers"]["schedule"].hour)
    next_run = now.date() if now.hour < release_hour else now.date() + timezone.timedelta(days=1)
    return max(day, next_run)


def sessions_due_paper_release(today=None) -> QuerySet[PanelSession]:
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.PANEL_PAPERS_WORKING_DAYS)
    return PanelSession.objects.filter(
        status=PanelSession.Status.SCHEDULED,
        papers_released_at__isnull=True,
        starts_at__date__lte=horizon,
        starts_at__gte=timezone.now(),
    )
