"""Panel reads: who may see which session, case and paper; the ready queue; suggestions."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from complexcases.core.timeline import TimelineEvent
from complexcases.core.working_days import add_working_days, is_working_day
from complexcases.organisation.models import User
from complexcases.people.models import Person
from complexcases.screening.selectors import latest_screening, people_visible_to
from triage.models import TriageBlocker, TriageRecord, TriageRequest
from triage.selectors import pom_prompt_needed

from .models import (
    PanelAction,
    PanelBooking,
    PanelInvitee,
    PanelMember,
    PanelPaper,
    PanelRole,
    PanelSession,
    PanelSlot,
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
    from .models import FollowUp

    live = PanelBooking.objects.filter(triage_record=OuterRef("pk"), status__in=LIVE_BOOKING)
    upcoming = PanelBooking.objects.filter(triage_record=OuterRef("pk"), status=Booking.BOOKED)
    back_to_panel = FollowUp.objects.filter(
        booking__triage_record=OuterRef("pk"),
        status=FollowUp.Status.COMPLETED,
        further_support=FollowUp.FurtherSupport.PANEL,
    ).exclude(
        Exists(
            PanelBooking.objects.filter(
                triage_record=OuterRef("booking__triage_record"),
                status__in=LIVE_BOOKING,
                booked_at__gt=OuterRef("completed_at"),
            )
        )
    )
    return (
        TriageRecord.objects.filter(
            outcome=TriageRecord.Outcome.REFER_TO_PANEL,
            request__status=TriageRequest.Status.OUTCOME_RECORDED,
        )
        .filter(~Exists(live) | (Exists(back_to_panel) & ~Exists(upcoming)))
        .select_related("request", "request__person", "request__person__pdu")
        .order_by("-request__urgent", "recorded_at")
    )


def ready_record_get(pk: int) -> TriageRecord:
    record = ready_for_panel().filter(pk=pk).first()
    if record is None:
        raise Http404("No case waiting for panel with this reference")
    return record


# Bespoke invitations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    role_code: str
    because: str


def _theme_names(record: TriageRecord | None) -> set[str]:
    if record is None:
        return set()
    blockers = TriageBlocker.objects.filter(record=record).prefetch_related("themes")
    return {theme.name.lower() for blocker in blockers for theme in blocker.themes.all()}


def invitation_suggestions(
    *, person: Person, triage_record: TriageRecord | None
) -> list[Suggestion]:
    """The seats to invite for this case: the core membership, the people holding the case,
    and the expertise its characteristics call for."""
    suggestions = [
        Suggestion(role.code, "Core member")
        for role in PanelRole.objects.filter(core=True, disabled_on__isnull=True)
    ]
    suggestions += [
        Suggestion("practitioner", "Holds the case"),
        Suggestion("spo", "Practitioner's senior probation officer"),
    ]
    screening = latest_screening(person)
    if screening is not None and screening.opd_screened_in:
        suggestions.append(Suggestion("opd_lead", "Screened in to the OPD pathway"))
    themes = _theme_names(record=triage_record)
    care_themes = sorted(t for t in themes if "mental health" in t or "social care" in t)
    if care_themes:
        because = f"Triage theme: {care_themes[0]}"
        suggestions += [
            Suggestion("mental_health", because),
            Suggestion("adult_social_care", because),
        ]
    if pom_prompt_needed(person):
        because = "In custody or due for release within 12 weeks"
        suggestions += [Suggestion("pom", because), Suggestion("prison_representative", because)]
    if any("gender identity" in theme for theme in themes):
        suggestions.append(Suggestion("equalities_manager", "Triage theme: gender identity"))
    return suggestions


@dataclass(frozen=True)
class Seat:
    """Who fills a suggested seat for this case (or no one yet)."""

    role: PanelRole
    because: str
    user: User | None = None
    name: str = ""
    organisation: str = ""
    email: str = ""


def seats_for(
    *, person: Person, triage_record: TriageRecord | None
) -> tuple[list[Seat], list[Seat]]:
    """Resolve suggestions to people: (filled seats, seats no one holds in this region)."""
    roles = {role.code: role for role in PanelRole.objects.filter(disabled_on__isnull=True)}
    region = person.pdu.region
    members = list(
        PanelMember.objects.filter(region=region, disabled_on__isnull=True).select_related(
            "user", "role"
        )
    )
    filled, empty = [], []
    practitioner = person.practitioner
    for suggestion in invitation_suggestions(person=person, triage_record=triage_record):
        role = roles.get(suggestion.role_code)
        if role is None:
            continue
        people: list[Seat] = []
        if role.code == "practitioner" and practitioner.is_active:
            people = [Seat(role, suggestion.because, user=practitioner)]
        elif role.code == "spo" and practitioner.line_manager_id:
            if practitioner.line_manager.is_active:
                people = [Seat(role, suggestion.because, user=practitioner.line_manager)]
        elif role.code == "pom" and "@" in person.pom_contact:
            people = [
                Seat(
                    role,
                    suggestion.because,
                    name=person.pom_name or "POM",
                    email=person.pom_contact,
                )
            ]
        else:
            for member in members:
                if member.role_id != role.pk:
                    continue
                if role.code == "head_of_pdu" and member.pdu_id not in (None, person.pdu_id):
                    continue
                if member.user_id and not member.user.is_active:
                    continue
                people.append(
                    Seat(
                        role,
                        suggestion.because,
                        user=member.user,
                        name=member.name,
                        organisation=member.organisation,
                        email=member.email,
                    )
                )
        (filled.extend(people) if people else empty.append(Seat(role, suggestion.because)))
    return filled, empty


def active_invitees(booking: PanelBooking) -> QuerySet[PanelInvitee]:
    return booking.invitees.filter(removed_at__isnull=True).select_related(
        "user", "role", "deputy_user"
    )


def staff_choices() -> QuerySet[User]:
    """Active staff who can be invited to a panel (imported practitioners start inactive)."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


def action_owner_choices() -> QuerySet[User]:
    """Who can own or chase an action: active staff whose role lets them open actions."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="view_panelaction",
            groups__permissions__content_type__app_label="panel",
        )
        .distinct()
        .order_by("last_name", "first_name")
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
        if booking.status == Booking.CANCELLED:
            events.append(TimelineEvent(when, "Panel booking cancelled", booking.cancelled_reason))
            continue
        minutes = getattr(booking, "minutes", None)
        if booking.status == Booking.HEARD and minutes is not None:
            events.append(
                TimelineEvent(
                    when,
                    "Heard at panel",
                    minutes.chair_summary[:300],
                    at=booking.slot.starts_at,
                )
            )
        else:
            events.append(
                TimelineEvent(
                    timezone.localdate(booking.booked_at),
                    "Booked into a panel",
                    "",
                    at=booking.booked_at,
                )
            )
    return events


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
    from .models import FollowUp

    if not user.is_authenticated:
        return FollowUp.objects.none()
    follow_ups = FollowUp.objects.select_related(
        "person", "qdo", "booking__slot", "person__practitioner"
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

    from .models import FollowUp

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
