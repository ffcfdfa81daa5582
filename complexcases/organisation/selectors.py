"""Reads of the organisation."""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When

from .models import ProbationDeliveryUnit, Region, RoleChange, Team, User


def regions_with_pdus() -> QuerySet[Region]:
    """Every region with its PDUs, teams and counts of active staff, in three queries."""
    pdus = ProbationDeliveryUnit.objects.annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True), distinct=True)
    ).prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
    return Region.objects.prefetch_related(Prefetch("pdus", queryset=pdus))


def staff_list() -> QuerySet[User]:
    """Staff with their PDU, team and roles, for the staff page."""
    return User.objects.select_related("pdu", "team", "line_manager").prefetch_related("groups")


def role_changes_search(*, email: str = "") -> QuerySet[RoleChange]:
    """Role changes, waiting ones first then newest; by the email of anyone in them."""
    rows = RoleChange.objects.select_related("staff", "requested_by", "decided_by")
    if email:
        rows = rows.filter(
            Q(staff__email__iexact=email)
            | Q(requested_by__email__iexact=email)
            | Q(decided_by__email__iexact=email)
        )
    return rows.order_by(
        Case(When(status=RoleChange.Status.PENDING, then=0), default=1), "-requested_at", "-pk"
    )
