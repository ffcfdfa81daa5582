"""Reads for the learning log: its entries, and the heard cases to record learning from."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from complexcases.organisation.models import User
from panel.models import PanelBooking

from ..models import LearningEntry


def learning_entries(
    *, theme_id: int | None = None, region_id: int | None = None, query: str = ""
) -> QuerySet[LearningEntry]:
    """The log, newest first, optionally by theme, region or words in any of its text."""
    entries = LearningEntry.objects.select_related("region").prefetch_related("themes")
    if theme_id:
        entries = entries.filter(themes=theme_id)
    if region_id:
        entries = entries.filter(region_id=region_id)
    for term in query.split()[:10]:
        entries = entries.filter(
            Q(blocker__icontains=term)
            | Q(what_unblocked__icontains=term)
            | Q(helped_by__icontains=term)
            | Q(themes__name__icontains=term)
        )
    return entries.distinct().order_by("-created_at", "-pk")


def chaired_by(user: User):
    """Bookings where the user sat as chair or deputy chair (who may record learning, with the team)."""
    from panel.models import PanelInvitee

    return PanelInvitee.objects.filter(
        Q(user=user) | Q(deputy_user=user),
        role__code__in=["chair", "deputy_chair"],
        removed_at__isnull=True,
    ).values("booking")


def heard_cases_for_learning(*, user: User, months: int = 6) -> QuerySet[PanelBooking]:
    """Cases heard at panel recently, for the case administrator to record learning from."""
    from panel.selectors import panel_bookings_visible_to

    since = timezone.now() - timezone.timedelta(days=31 * months)
    bookings = panel_bookings_visible_to(user)
    if not user.has_perm("panel.manage_panel"):
        bookings = bookings.filter(pk__in=chaired_by(user))
    return (
        bookings.filter(status=PanelBooking.Status.HEARD, slot__starts_at__gte=since)
        .annotate(has_learning=Exists(LearningEntry.objects.filter(booking=OuterRef("pk"))))
        .order_by("-slot__starts_at")
    )
