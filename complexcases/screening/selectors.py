"""Reads for screening: who may see which person, the monthly list, a person's history."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from complexcases.core.timeline import TimelineEvent
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person

from .models import (
    MonthlyList,
    MonthlyListEntry,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from .rules import explain


def people_scope(user: User, *, prefix: str = "") -> Q | None:
    """Who the user may see, as a filter on Person (or on `prefix`, e.g. "person__"); None for everyone.

    Callers must first check `people.view_person` (see `people_visible_to`).
    """
    if user.has_perm("people.view_all_people"):
        return None
    roles = set(user.groups.values_list("name", flat=True))
    scope = Q(**{f"{prefix}practitioner": user})
    if Role.SENIOR_PROBATION_OFFICER in roles:
        scope |= Q(**{f"{prefix}practitioner__line_manager": user})
        if user.team_id:
            scope |= Q(**{f"{prefix}practitioner__team_id": user.team_id})
    if Role.HEAD_OF_SERVICE in roles and user.pdu_id:
        scope |= Q(**{f"{prefix}pdu_id": user.pdu_id})
    return scope


def people_visible_to(user: User) -> QuerySet[Person]:
    """Object access for people: all, the user's PDU, their team's caseload or their own caseload."""
    if not user.is_authenticated or not user.has_perm("people.view_person"):
        return Person.objects.none()
    scope = people_scope(user)
    return Person.objects.all() if scope is None else Person.objects.filter(scope)


def person_get_for(user: User, crn: str) -> Person:
    """The person with this CRN if the user may see them; otherwise 404, as if there were none."""
    person = (
        people_visible_to(user)
        .select_related("pdu", "practitioner", "practitioner__line_manager")
        .filter(crn=crn.upper())
        .first()
    )
    if person is None:
        raise Http404("No such person")
    return person


def people_search(*, user: User, query: str, limit: int = 50) -> QuerySet[Person]:
    """People the user may see whose CRN or name matches."""
    query = query.strip()
    people = people_visible_to(user).select_related("pdu")
    if not query:
        return people.none()
    terms = query.replace(",", " ").split()
    if len(terms) == 1 and len(query) == 7 and query[0].isalpha() and query[1:].isdigit():
        return people.filter(crn=query.upper())
    for term in terms:
        people = people.filter(
            Q(surname__istartswith=term) | Q(forenames__istartswith=term) | Q(crn__iexact=term)
        )
    return people.order_by("surname", "forenames")[:limit]


def latest_screening(person: Person) -> Screening | None:
    return (
        Screening.objects.filter(person=person).select_related("extract").order_by("-as_at").first()
    )


def available_months() -> list[date]:
    return list(MonthlyList.objects.order_by("-month").values_list("month", flat=True).distinct())


SORTS = {
    "name": ("person__surname", "person__forenames"),
    "crn": ("person__crn",),
    "pdu": ("monthly_list__pdu__name", "person__surname"),
    "criteria": ("screening__criteria_met_count", "person__surname"),
    "status": ("status", "person__surname"),
}


@dataclass
class ListFilters:
    month: date | None = None
    pdu: str = ""
    query: str = ""
    min_criteria: int | None = None
    criteria: tuple[int, ...] = ()
    status: str = ""
    conversation: str = ""  # "recorded" / "not_recorded" / ""
    sort: str = "name"
    descending: bool = False


def monthly_list_entries(*, user: User, filters: ListFilters) -> QuerySet[MonthlyListEntry]:
    """One month's list for the people the user may see, filtered and sorted; their own cases first."""
    entries = MonthlyListEntry.objects.filter(monthly_list__month=filters.month)
    if not user.is_authenticated or not user.has_perm("people.view_person"):
        entries = entries.none()
    else:
        # A join on the entry's person, not "person IN (everyone the user may see)": at
        # 250,000 people that subquery was most of the page's time.
        scope = people_scope(user, prefix="person__")
        if scope is not None:
            entries = entries.filter(scope)
    # Only what the page shows: each row is several model instances, 50 rows a page.
    entries = entries.select_related("person", "monthly_list__pdu", "screening").only(
        "status",
        "person__crn",
        "person__surname",
        "person__forenames",
        "monthly_list__month",
        "monthly_list__pdu__code",
        "monthly_list__pdu__name",
        "screening__criteria_met",
        "screening__criteria_met_count",
    )
    entries = entries.annotate(
        has_conversation=Exists(ReflectiveConversation.objects.filter(entry=OuterRef("pk"))),
        is_mine=ExpressionWrapper(Q(person__practitioner=user), output_field=BooleanField()),
    )
    if filters.pdu:
        entries = entries.filter(monthly_list__pdu__code=filters.pdu)
    if filters.query:
        terms = filters.query.replace(",", " ").split()
        for term in terms:
            entries = entries.filter(
                Q(person__crn__iexact=term)
                | Q(person__surname__istartswith=term)
                | Q(person__forenames__istartswith=term)
            )
    if filters.min_criteria is not None:
        entries = entries.filter(screening__criteria_met_count__gte=filters.min_criteria)
    for number in filters.criteria:
        entries = entries.filter(screening__criteria_met__contains=[number])
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.conversation == "recorded":
        entries = entries.filter(has_conversation=True)
    elif filters.conversation == "not_recorded":
        entries = entries.filter(has_conversation=False)
    order = [
        f"-{field}" if filters.descending else field
        for field in SORTS.get(filters.sort, SORTS["name"])
    ]
    return entries.order_by("-is_mine", *order, "pk")


def screening_timeline_events(person: Person) -> list[TimelineEvent]:
    """Lists, reflective conversations, overrides and screenings for the person's timeline."""
    events = []
    # Plain values, not model instances: a person with a year on the pathway has dozens.
    statuses = dict(MonthlyListEntry.Status.choices)
    for status, month, pdu_name in MonthlyListEntry.objects.filter(person=person).values_list(
        "status", "monthly_list__month", "monthly_list__pdu__name"
    ):
        events.append(TimelineEvent(month, f"{statuses[status]}: {month:%B %Y} list", pdu_name))
    for conversation in ReflectiveConversation.objects.filter(person=person).select_related(
        "spo", "recorded_by"
    ):
        events.append(
            TimelineEvent(
                conversation.held_on,
                "Reflective conversation recorded",
                f"With {conversation.spo.get_full_name()}. Outcome: {conversation.get_outcome_display().lower()}.",
                conversation.recorded_by.get_full_name(),
            )
        )
    for override in PathwayOverride.objects.filter(person=person).select_related("marked_by"):
        events.append(
            TimelineEvent(
                override.marked_at.date(),
                "Marked for the pathway below the threshold",
                override.reason,
                override.marked_by.get_full_name(),
            )
        )
    for as_at, count in Screening.objects.filter(person=person).values_list(
        "as_at", "criteria_met_count"
    ):
        events.append(
            TimelineEvent(as_at, f"Screened: {count} of 8 criteria met", "From the monthly extract")
        )
    return events


def person_months_listed(person: Person) -> list[date]:
    return list(
        MonthlyListEntry.objects.filter(person=person)
        .exclude(status=MonthlyListEntry.Status.NO_LONGER_LISTED)
        .order_by("-monthly_list__month")
        .values_list("monthly_list__month", flat=True)
    )


def current_list_entry(person: Person) -> MonthlyListEntry | None:
    """The person's entry on the newest list they appear on, if that list is the latest month's."""
    latest_month = MonthlyList.objects.order_by("-month").values_list("month", flat=True).first()
    if latest_month is None:
        return None
    # A person who moved PDU has two entries: "no longer listed" in the old one, listed in the new.
    return (
        MonthlyListEntry.objects.filter(person=person, monthly_list__month=latest_month)
        .select_related("monthly_list", "reflective_conversation")
        .annotate(
            no_longer=ExpressionWrapper(
                Q(status=MonthlyListEntry.Status.NO_LONGER_LISTED), BooleanField()
            )
        )
        .order_by("no_longer", "pk")
        .first()
    )


def criteria_explained(screening: Screening | None):
    return explain(screening.source_values) if screening else []


def spo_choices_for(user: User) -> QuerySet[User]:
    """The SPOs a practitioner can name: their line manager and the SPOs in their PDU."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.SENIOR_PROBATION_OFFICER)
        .filter(Q(pdu=user.pdu_id) | Q(pk=user.line_manager_id))
        .distinct()
        .order_by("last_name", "first_name")
    )
