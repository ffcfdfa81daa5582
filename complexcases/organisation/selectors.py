"""Reads of the organisation."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import ProbationDeliveryUnit, Region, Team, User


def regions_with_pdus() -> QuerySet[Region]:
    """Every region with its PDUs, teams and counts of active staff, in three queries."""
    pdus = ProbationDeliveryUnit.objects.annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True), distinct=True)
    ).prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
    return Region.objects.prefetch_related(Prefetch("pdus", queryset=pdus))


def staff_list() -> QuerySet[User]:
    """Staff with their PDU, team and roles, for the staff page."""
    return User.objects.select_related("pdu", "team", "line_manager").prefetch_related("groups")
