"""Panel reads: the panel's part of a person's timeline."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from complexcases.core.timeline import TimelineEvent
from complexcases.organisation.models import User
from complexcases.people.models import Person

from ..models import (
    PanelAction,
    PanelBooking,
)
from .common import Booking, panel_bookings_visible_to

# The person's history ---------------------------------------------------------------------------


def earlier_actions(booking: PanelBooking) -> QuerySet[PanelAction]:
    """Actions from the person's earlier panels, for the case summary pack and the agenda."""
    return (
        PanelAction.objects.filter(person=booking.person)
        .exclude(booking=booking)
        .select_related("owner", "chaser", "booking__slot")
        .prefetch_related("updates")
        .order_by("due_date")
    )


def panel_timeline_events(person: Person, *, user: User) -> list[TimelineEvent]:
    """Panel bookings and their outcomes on the person's timeline, for those who may see them."""
    events = []
    bookings = (
        panel_bookings_visible_to(user)
        .filter(person=person)
        .select_related(None)  # the person is the caller's; of the slot, only when it starts
        .select_related("slot", "minutes")
    )
    for booking in bookings:
        when = timezone.localdate(booking.slot.starts_at)
        linked = {"href": reverse("panel:booking", args=[booking.pk]), "case_id": booking.case_id}
        if booking.status == Booking.CANCELLED:
            events.append(
                TimelineEvent(when, "Panel booking cancelled", booking.cancelled_reason, **linked)
            )
            continue
        minutes = getattr(booking, "minutes", None)
        if booking.status == Booking.HEARD and minutes is not None:
            events.append(
                TimelineEvent(
                    when,
                    "Heard at panel",
                    minutes.chair_summary[:300],
                    at=booking.slot.starts_at,
                    href=reverse("panel:minutes", args=[booking.pk]),
                    case_id=booking.case_id,
                )
            )
        else:
            events.append(
                TimelineEvent(
                    timezone.localdate(booking.booked_at),
                    "Booked into a panel",
                    "",
                    at=booking.booked_at,
                    **linked,
                )
            )
    return events
