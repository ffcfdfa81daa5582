"""Panel reads: personal links to the papers for invitees outside the service (ADR 0045)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from ..models import PanelBooking, PapersLink
from .common import LIVE_BOOKING

VERIFIED_MINUTES = 60  # how long a confirmed address opens the papers in that browser


def papers_link_expires_at(booking: PanelBooking) -> datetime:
    """A link works until the end of the panel's day (midnight after it, local time)."""
    day = timezone.localdate(booking.slot.starts_at) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def papers_link_for_token(token: str) -> PapersLink | None:
    """The link a token opens, or None for one that does not work: unknown, revoked, expired,
    its case cancelled or its invitee taken off the list (the pages treat them all alike)."""
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    link = (
        PapersLink.objects.select_related(
            "booking",
            "booking__case",
            "booking__person",
            "booking__slot",
            "booking__slot__session",
            "invitee",
        )
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if link is None or not papers_link_works(link):
        return None
    return link


def papers_link_works(link: PapersLink, *, now=None) -> bool:
    now = now or timezone.now()
    return (
        link.revoked_at is None
        and link.booking.status in LIVE_BOOKING
        and link.invitee.removed_at is None
        and now < papers_link_expires_at(link.booking)
    )


@dataclass(frozen=True)
class LinkRow:
    """A link as the case page shows it to the team."""

    link: PapersLink
    works: bool
    state: str


def papers_links_for(booking: PanelBooking) -> list[LinkRow]:
    """Every link sent for the case, newest first, with whether it still works and why not."""
    rows = []
    links = (
        PapersLink.objects.filter(booking=booking)
        .select_related("invitee", "invitee__role", "booking__slot", "revoked_by")
        .order_by("-created_at", "-pk")
    )
    now = timezone.now()
    for link in links:
        link.booking = booking
        works = papers_link_works(link, now=now)
        if works:
            state = "Works"
        elif link.revoked_at:
            reason = link.revoked_reason or "Revoked"
            state = f"Stopped: {reason[0].lower()}{reason[1:]}"  # "the Complex Cases team" kept
        elif link.invitee.removed_at:
            state = "Stopped: taken off the list"
        elif booking.status not in LIVE_BOOKING:
            state = "Stopped: the booking was cancelled"
        else:
            state = "Expired after the panel"
        rows.append(LinkRow(link, works, state))
    return rows


def verified_session_key(link: PapersLink) -> str:
    return f"cc_papers_link_{link.pk}"


def papers_link_verified(session, link: PapersLink) -> bool:
    """Whether this browser confirmed the link's address with a code in the last hour."""
    at = session.get(verified_session_key(link))
    return bool(at) and timezone.now().timestamp() - at < VERIFIED_MINUTES * 60
