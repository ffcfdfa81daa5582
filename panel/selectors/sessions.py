"""Panel reads: sessions, their slots, and cases ready for panel."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from complexcases.organisation.models import User
from triage.models import TriageRecord

from ..models import (
    PanelBooking,
    PanelSession,
    PanelSlot,
)
from .common import LIVE_BOOKING, _invited, is_panel_team, panel_bookings_visible_to

# Sessions and the ready queue ------------------------------------------------------------------


def panel_sessions_visible_to(user: User) -> QuerySet[PanelSession]:
    """The team sees every session; a panel member the sessions where they are invited to a case."""
    if not user.is_authenticated or not user.has_perm("panel.view_panelsession"):
        return PanelSession.objects.none()
    sessions = PanelSession.objects.select_related("region", "pattern")
    if is_panel_team(user):
        return sessions
    invited = panel_bookings_visible_to(user).filter(_invited(user)).values("slot__session")
    return sessions.filter(pk__in=invited)


def panel_session_get_for(user: User, pk: int) -> PanelSession:
    session = panel_sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise Http404("No such panel session")
    return session


def panel_sessions_list(*, user: User, past: bool = False) -> QuerySet[PanelSession]:
    now = timezone.now()
    sessions = panel_sessions_visible_to(user).prefetch_related(
        Prefetch(
            "slots",
            queryset=PanelSlot.objects.prefetch_related(
                Prefetch(
                    "bookings",
                    queryset=PanelBooking.objects.filter(status__in=LIVE_BOOKING).select_related(
                        "person"
                    ),
                    to_attr="live_bookings",
                )
            ),
        )
    )
    if past:
        return sessions.filter(starts_at__lt=now - timezone.timedelta(hours=12)).order_by(
            "-starts_at"
        )
    return sessions.filter(starts_at__gte=now - timezone.timedelta(hours=12)).order_by("starts_at")


def session_slots(session: PanelSession) -> list[tuple[PanelSlot, PanelBooking | None]]:
    """Each slot of the session with the case booked into it, if any."""
    slots = session.slots.prefetch_related(
        Prefetch(
            "bookings",
            queryset=PanelBooking.objects.filter(status__in=LIVE_BOOKING).select_related(
                "person", "person__pdu"
            ),
            to_attr="live_bookings",
        )
    )
    return [(slot, slot.live_bookings[0] if slot.live_bookings else None) for slot in slots]


def free_slots(*, region=None) -> QuerySet[PanelSlot]:
    """Slots in scheduled sessions that have not started and hold no case."""
    taken = PanelBooking.objects.filter(slot=OuterRef("pk"), status__in=LIVE_BOOKING)
    slots = (
        PanelSlot.objects.filter(
            session__status=PanelSession.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .exclude(Exists(taken))
        .select_related("session", "session__region")
        .order_by("starts_at")
    )
    if region is not None:
        slots = slots.filter(session__region=region)
    return slots


def ready_for_panel() -> QuerySet[TriageRecord]:
    """Triage outcomes "refer to panel" whose case is not booked or heard yet, and cases a
    follow-up sent back "to the next panel" that have not been booked again since."""
    from complexcases.cases.models import Case

    # Each case waiting for a slot once, by its latest referral: an earlier referral in the
    # same case (a second triage, or "to the next panel" after a hearing) is never offered.
    later_referral = TriageRecord.objects.filter(
        request__case=OuterRef("request__case"),
        outcome=TriageRecord.Outcome.REFER_TO_PANEL,
        recorded_at__gt=OuterRef("recorded_at"),
    )
    return (
        TriageRecord.objects.filter(
            outcome=TriageRecord.Outcome.REFER_TO_PANEL,
            request__case__status=Case.Status.AWAITING_PANEL,
        )
        .filter(~Exists(later_referral))
        .select_related("request", "request__case", "request__person", "request__person__pdu")
        .order_by("-request__urgent", "recorded_at")
    )


def ready_record_get(pk: int) -> TriageRecord:
    record = ready_for_panel().filter(pk=pk).first()
    if record is None:
        raise Http404("No case waiting for panel with this reference")
    return record
