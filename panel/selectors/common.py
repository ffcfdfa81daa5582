"""Panel reads: who may see which panel case, session and paper."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from complexcases.organisation.models import User
from complexcases.people.selectors import people_visible_to

from ..models import (
    PanelBooking,
    PanelInvitee,
    PanelPaper,
)

Booking = PanelBooking.Status
LIVE_BOOKING = [Booking.BOOKED, Booking.HEARD]


def is_panel_team(user: User) -> bool:
    """The Complex Cases team runs panels and sees every case."""
    return user.is_authenticated and user.has_perm("people.view_all_people")


def _invited(user: User) -> Q:
    """Bookings where the user is an invitee or a nominated deputy (and not removed)."""
    return Q(
        Exists(
            PanelInvitee.objects.filter(
                Q(user=user) | Q(deputy_user=user),
                booking=OuterRef("pk"),
                removed_at__isnull=True,
            )
        )
    )


def panel_bookings_visible_to(user: User) -> QuerySet[PanelBooking]:
    """The team sees every case; others the cases they are invited to or that are on their caseload."""
    if not user.is_authenticated or not user.has_perm("panel.view_panel_case"):
        return PanelBooking.objects.none()
    bookings = PanelBooking.objects.select_related(
        "person", "person__pdu", "slot", "slot__session", "slot__session__region"
    )
    if is_panel_team(user):
        return bookings
    return bookings.filter(_invited(user) | Q(person__in=people_visible_to(user)))


def panel_booking_get_for(user: User, pk: int) -> PanelBooking:
    booking = panel_bookings_visible_to(user).filter(pk=pk).first()
    if booking is None:
        raise Http404("No such panel case")
    return booking


def papers_open_to(user: User, booking: PanelBooking) -> bool:
    """Papers and the case summary pack: the team at any time; invitees once papers are released."""
    if is_panel_team(user):
        return True
    released = booking.slot.session.papers_released_at is not None
    return (
        released and panel_bookings_visible_to(user).filter(_invited(user), pk=booking.pk).exists()
    )


def panel_paper_get_for(user: User, booking: PanelBooking, pk: int) -> PanelPaper:
    if not papers_open_to(user, booking):
        raise Http404("No such paper")
    paper = booking.papers.filter(pk=pk, removed_at__isnull=True).first()
    if paper is None:
        raise Http404("No such paper")
    return paper
