"""Panel reads: actions and follow-ups after the panel, and what needs a user today."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from complexcases.organisation.models import User
from complexcases.people.models import Person
from complexcases.people.selectors import people_visible_to
from triage.models import TriageRequest

from ..models import (
    PanelAction,
    PanelBooking,
)
from .common import _invited, is_panel_team

# After the panel: actions and follow-ups ---------------------------------------------------------


def panel_actions_visible_to(user: User) -> QuerySet[PanelAction]:
    """The team sees every action; anyone the actions they own or chase; case holders and
    invitees the actions on cases they may see (an SPO's team, a head of service's PDU)."""
    if not user.is_authenticated:
        return PanelAction.objects.none()
    actions = PanelAction.objects.select_related("person", "owner", "chaser", "booking__slot")
    if is_panel_team(user):
        return actions
    scope = Q(owner=user) | Q(chaser=user)
    if user.has_perm("panel.view_panelaction"):
        invited = PanelBooking.objects.filter(_invited(user)).values("pk")
        scope |= Q(person__in=people_visible_to(user)) | Q(booking__in=invited)
    return actions.filter(scope)


def panel_action_get_for(user: User, pk: int) -> PanelAction:
    action = panel_actions_visible_to(user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    return action


def action_due_label(action: PanelAction, today=None) -> tuple[str, str]:
    """("Overdue by 3 days", tag class) — in words, never colour alone."""
    if action.status != PanelAction.Status.OPEN:
        return (
            action.get_status_display(),
            "govuk-tag--green" if action.status == "done" else "govuk-tag--grey",
        )
    return due_label(action.due_date, today)


def due_label(day, today=None) -> tuple[str, str]:
    """For a due date: "Overdue by 3 days", "Due today", "Due in 2 days", with a tag class."""
    today = today or timezone.localdate()
    days = (day - today).days
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}", "govuk-tag--red"
    if days == 0:
        return "Due today", "govuk-tag--orange"
    if days <= settings.REMINDER_DAYS_AHEAD:
        return f"Due in {days} day{'s' if days != 1 else ''}", "govuk-tag--yellow"
    return f"Due in {days} days", "govuk-tag--blue"


ACTION_TABS = {
    "open": "Open",
    "due-soon": "Due soon",
    "overdue": "Overdue",
    "done": "Done",
}
ACTION_SCOPES = {"mine": "Mine", "team": "My team", "all": "All"}


def action_scopes_for(user: User) -> list[str]:
    from complexcases.organisation.roles import Role

    scopes = ["mine"]
    if user.groups.filter(name=Role.SENIOR_PROBATION_OFFICER).exists():
        scopes.append("team")
    if is_panel_team(user):
        scopes.append("all")
    return scopes


def _scoped_actions(user: User, scope: str) -> QuerySet[PanelAction]:
    """Mine: owned or chased. Team (SPOs): owned or chased by, or on the caseload of, the people
    they manage or their team. All: the Complex Cases team. Written as id lists and a subquery
    on the caseload index, not joins under an OR: 5 ms instead of 150 at national scale."""
    actions = PanelAction.objects.select_related("person", "owner", "chaser", "booking__slot")
    if scope == "team" and scope in action_scopes_for(user):
        team = Q(line_manager=user) | Q(pk=user.pk)
        if user.team_id:
            team |= Q(team_id=user.team_id)
        ids = list(User.objects.filter(team).values_list("pk", flat=True))
        caseload = Person.objects.filter(practitioner_id__in=ids).values("pk")
        return actions.filter(
            Q(owner_id__in=ids) | Q(chaser_id__in=ids) | Q(person_id__in=caseload)
        )
    if scope == "all" and scope in action_scopes_for(user):
        return panel_actions_visible_to(user)
    return actions.filter(Q(owner=user) | Q(chaser=user))


def _tab_filters(today) -> dict[str, Q]:
    open_ = Q(status=PanelAction.Status.OPEN)
    soon = today + timezone.timedelta(days=settings.REMINDER_DAYS_AHEAD)
    return {
        "open": open_,
        "due-soon": open_ & Q(due_date__gte=today, due_date__lte=soon),
        "overdue": open_ & Q(due_date__lt=today),
        "done": ~open_,
    }


ACTION_ORDER = {
    "due": ["due_date", "pk"],
    "-due": ["-due_date", "-pk"],
    "case": ["person__surname", "person__forenames", "due_date", "pk"],
}


def my_actions(
    *, user: User, tab: str, scope: str = "mine", order: str = "due"
) -> QuerySet[PanelAction]:
    """Actions for the "My actions" page: by tab and scope, sorted by due date or case."""
    filters = _tab_filters(timezone.localdate())
    return (
        _scoped_actions(user, scope)
        .filter(filters.get(tab, filters["open"]))
        .order_by(*ACTION_ORDER.get(order, ACTION_ORDER["due"]))
    )


def my_action_counts(*, user: User, scope: str = "mine") -> dict[str, int]:
    """Counts for each tab, in one query."""
    from django.db.models import Count

    filters = _tab_filters(timezone.localdate())
    return _scoped_actions(user, scope).aggregate(
        **{tab: Count("pk", filter=condition) for tab, condition in filters.items()}
    )


def open_action_count(user: User) -> int:
    """For the navigation: open actions the user owns or chases."""
    if not user.is_authenticated:
        return 0
    return PanelAction.objects.filter(
        Q(owner=user) | Q(chaser=user), status=PanelAction.Status.OPEN
    ).count()


def follow_ups_visible_to(user: User):
    from ..models import FollowUp

    if not user.is_authenticated:
        return FollowUp.objects.none()
    follow_ups = FollowUp.objects.select_related(
        "person", "qdo", "booking__slot", "booking__case", "person__practitioner"
    )
    if is_panel_team(user):
        return follow_ups
    return follow_ups.filter(Q(qdo=user) | Q(person__in=people_visible_to(user)))


def follow_up_get_for(user: User, pk: int):
    follow_up = follow_ups_visible_to(user).filter(pk=pk).first()
    if follow_up is None:
        raise Http404("No such follow-up")
    return follow_up


@dataclass(frozen=True)
class Today:
    """What needs this user today, for the home page."""

    overdue_actions: int
    due_soon_actions: int
    follow_ups_due: int
    further_triage: list


def needs_me_today(user: User) -> Today:
    """For the home page: counts of the user's overdue and due-soon actions and due check-ins,
    and their cases where a follow-up recommended a further triage not yet requested."""
    from django.db.models import Count

    from ..models import FollowUp

    today = timezone.localdate()
    soon = today + timezone.timedelta(days=settings.REMINDER_DAYS_AHEAD)
    counts = PanelAction.objects.filter(
        Q(owner=user) | Q(chaser=user), status=PanelAction.Status.OPEN
    ).aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
    )
    follow_ups_due = FollowUp.objects.filter(
        qdo=user, status=FollowUp.Status.SCHEDULED, due_on__lte=soon
    ).count()
    later_request = TriageRequest.objects.filter(
        person=OuterRef("person"), requested_at__gt=OuterRef("completed_at")
    )
    further_triage = list(
        FollowUp.objects.filter(
            person__practitioner=user,
            status=FollowUp.Status.COMPLETED,
            further_support=FollowUp.FurtherSupport.TRIAGE,
            completed_at__gte=timezone.now() - timezone.timedelta(days=30),
        )
        .exclude(Exists(later_request))
        .select_related("person")[:5]
    )
    return Today(counts["overdue"], counts["soon"], follow_ups_due, further_triage)
