"""Reporting reads of panel: actions, attendance by seat, follow-up check-ins, early outcomes."""

from datetime import date

from django.db.models import Count, F, Q

from panel.models import EarlyOutcome, FollowUp, PanelAction, PanelBooking, PanelInvitee

from ..periods import Period
from ..scope import Scope
from .aggregates import within


def actions_summary(*, scope: Scope, period: Period, today: date) -> dict:
    """Open and overdue actions now; of the actions due in the period (up to today, not those
    no longer needed), how many were done by their due date, done late, or are not done yet."""
    Status = PanelAction.Status
    # Due in the period and by today (an action due later has not had its chance yet).
    due = Q(due_date__gte=period.start, due_date__lt=period.end, due_date__lte=today) & ~Q(
        status=Status.NOT_NEEDED
    )
    done = due & Q(status=Status.DONE)
    return PanelAction.objects.filter(
        scope.q(pdu="person__pdu", practitioner="person__practitioner")
    ).aggregate(
        open=Count("pk", filter=Q(status=Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Status.OPEN, due_date__lt=today)),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=done & Q(closed_at__date__lte=F("due_date"))),
        late=Count("pk", filter=done & Q(closed_at__date__gt=F("due_date"))),
        not_done=Count("pk", filter=due & Q(status=Status.OPEN)),
    )


def attendance_by_role(*, scope: Scope, period: Period) -> list[dict]:
    """Attended, sent a deputy, apologies (and not recorded) per panel seat, for cases heard in the period."""
    Attendance = PanelInvitee.Attendance
    return list(
        PanelInvitee.objects.filter(
            within("booking__slot__starts_at", period),
            booking__status=PanelBooking.Status.HEARD,
            removed_at__isnull=True,
        )
        .filter(scope.q(pdu="booking__person__pdu", practitioner="booking__person__practitioner"))
        .values("role__name", "role__position")
        .annotate(
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            deputy=Count("pk", filter=Q(attendance=Attendance.DEPUTY)),
            apologies=Count("pk", filter=Q(attendance=Attendance.APOLOGIES)),
            not_recorded=Count("pk", filter=Q(attendance="")),
        )
        .order_by("role__position", "role__name")
    )


def follow_ups_summary(*, scope: Scope, period: Period, today: date) -> dict:
    """Follow-up check-ins due in the period (not cancelled): done, and not done yet (overdue if past)."""
    Status = FollowUp.Status
    due = Q(due_on__gte=period.start, due_on__lt=period.end) & ~Q(status=Status.CANCELLED)
    return FollowUp.objects.filter(
        scope.q(pdu="person__pdu", practitioner="person__practitioner")
    ).aggregate(
        due=Count("pk", filter=due),
        completed=Count("pk", filter=due & Q(status=Status.COMPLETED)),
        scheduled=Count("pk", filter=due & Q(status=Status.SCHEDULED)),
        overdue=Count("pk", filter=due & Q(status=Status.SCHEDULED, due_on__lt=today)),
    )


def early_outcomes(*, scope: Scope, period: Period) -> list[EarlyOutcome]:
    """Each early outcome with the panel cases whose follow-up in the period recorded it."""
    recorded = (
        Q(follow_ups__status=FollowUp.Status.COMPLETED)
        & within("follow_ups__completed_at", period)
        & scope.q(pdu="follow_ups__person__pdu", practitioner="follow_ups__person__practitioner")
    )
    return list(
        EarlyOutcome.objects.annotate(
            cases=Count("follow_ups__booking", filter=recorded, distinct=True)
        ).order_by("position", "name")
    )
