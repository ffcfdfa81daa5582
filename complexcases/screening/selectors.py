"""Reads for screening: the monthly list, a person's screenings and list history."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from complexcases.core.timeline import TimelineEvent
from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.people.selectors import people_scope, people_visible_to

from .models import (
    MonthlyList,
    MonthlyListEntry,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from .rules import CRITERIA_BY_NUMBER, display_value, explain
from .versions import SOURCE_VALUE_COLUMNS, VERSION_COLUMNS


def pdus_visible_to(user: User) -> QuerySet[ProbationDeliveryUnit]:
    """The PDUs a filter should offer: those of the people the user may see (all, for the team)."""
    pdus = ProbationDeliveryUnit.objects.filter(disabled_on__isnull=True)
    if people_scope(user) is None and user.has_perm("people.view_person"):
        return pdus
    return pdus.filter(pk__in=people_visible_to(user).values("pdu_id"))


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


def person_list_entries(person: Person) -> list[MonthlyListEntry]:
    """Every list entry of the person's, oldest first, with its list and PDU, its reflective
    conversation (SPO, recorded by) and `latest_month`, the newest list's month (any PDU's).

    One read gives the person page its current entry, months listed and the lists and
    conversations on its timeline (it was four, plus one for the conversation's SPO).
    """
    latest_month = MonthlyList.objects.order_by("-month").values("month")[:1]
    return list(
        MonthlyListEntry.objects.filter(person=person)
        .select_related(
            "monthly_list__pdu",
            "reflective_conversation__spo",
            "reflective_conversation__recorded_by",
        )
        .annotate(latest_month=Subquery(latest_month))
        .order_by("pk")
    )


def current_entry_of(entries: list[MonthlyListEntry]) -> MonthlyListEntry | None:
    """`current_list_entry` from the entries `person_list_entries` read."""
    current = [entry for entry in entries if entry.monthly_list.month == entry.latest_month]
    # A person who moved PDU has two entries: "no longer listed" in the old one, listed in the new.
    return min(
        current,
        key=lambda entry: (entry.status == MonthlyListEntry.Status.NO_LONGER_LISTED, entry.pk),
        default=None,
    )


def months_listed_of(entries: list[MonthlyListEntry]) -> list[date]:
    """The months the person was listed in, newest first, from `person_list_entries`."""
    return sorted(
        (
            entry.monthly_list.month
            for entry in entries
            if entry.status != MonthlyListEntry.Status.NO_LONGER_LISTED
        ),
        reverse=True,
    )


def person_overrides(person: Person) -> list[PathwayOverride]:
    """The person's pathway overrides, newest first, with who marked them."""
    return list(PathwayOverride.objects.filter(person=person).select_related("marked_by"))


def screening_timeline_events(
    person: Person,
    *,
    entries: list[MonthlyListEntry] | None = None,
    overrides: list[PathwayOverride] | None = None,
) -> list[TimelineEvent]:
    """Lists, reflective conversations, overrides and screenings for the person's timeline.

    `entries` (from `person_list_entries`) and `overrides` (from `person_overrides`), when the
    caller has read them already, save reading them again.
    """
    events = []
    if entries is None:
        entries = person_list_entries(person)
    statuses = dict(MonthlyListEntry.Status.choices)
    for entry in entries:
        month = entry.monthly_list.month
        events.append(
            TimelineEvent(
                month, f"{statuses[entry.status]}: {month:%B %Y} list", entry.monthly_list.pdu.name
            )
        )
    # Each conversation is on one of the person's entries; newest first, as the model orders them.
    conversations = [
        conversation
        for entry in entries
        if (conversation := getattr(entry, "reflective_conversation", None)) is not None
        and conversation.person_id == person.pk
    ]
    conversations.sort(key=lambda conversation: conversation.held_on, reverse=True)
    for conversation in conversations:
        events.append(
            TimelineEvent(
                conversation.held_on,
                "Reflective conversation recorded",
                f"With {conversation.spo.get_full_name()}. Outcome: {conversation.get_outcome_display().lower()}.",
                conversation.recorded_by.get_full_name(),
            )
        )
    if overrides is None:
        overrides = person_overrides(person)
    for override in overrides:
        events.append(
            TimelineEvent(
                override.marked_at.date(),
                "Marked for the pathway below the threshold",
                override.reason,
                override.marked_by.get_full_name(),
            )
        )
    # A screening is a version (ADR 0018): an event when it began, saying what changed from the
    # version before, and one if it ended with the person not in the next extract.
    versions = list(
        Screening.objects.filter(person=person)
        .order_by("as_at")
        .values(
            "as_at", "until", "criteria_met_count", "criteria_met", "pdu__name", *VERSION_COLUMNS
        )
    )
    starts = {version["as_at"] for version in versions}
    previous = None
    for version in versions:
        count = version["criteria_met_count"]
        if previous is not None and previous["until"] == version["as_at"]:
            title = f"Screening changed: {count} of 8 criteria met"
            description = "From the monthly extract. " + _what_changed(previous, version)
        else:
            title = f"Screened: {count} of 8 criteria met"
            description = "From the monthly extract; the same in each extract until a change"
        events.append(TimelineEvent(version["as_at"], title, description))
        until = version["until"]
        if until is not None and until not in starts:
            events.append(
                TimelineEvent(until, "Not in the monthly extract", "No longer in the extract")
            )
        previous = version
    return events


def _what_changed(before: dict, after: dict) -> str:
    """What differs between two consecutive versions, in the words the criteria section uses."""
    parts = []
    met, was_met = set(after["criteria_met"]), set(before["criteria_met"])
    if now := sorted(met - was_met):
        parts.append(
            "Now met: " + ", ".join(f"{n}. {CRITERIA_BY_NUMBER[n].name}" for n in now) + "."
        )
    if no_longer := sorted(was_met - met):
        parts.append(
            "No longer met: "
            + ", ".join(f"{n}. {CRITERIA_BY_NUMBER[n].name}" for n in no_longer)
            + "."
        )
    values = [
        f"{column} {display_value(column, before[column])} → {display_value(column, after[column])}"
        for column in SOURCE_VALUE_COLUMNS
        if before[column] != after[column]
    ]
    if values:
        parts.append("Values changed: " + "; ".join(values) + ".")
    if before["pdu_id"] != after["pdu_id"]:
        parts.append(f"PDU: {before['pdu__name']} → {after['pdu__name']}.")
    if before["rule_version"] != after["rule_version"]:
        parts.append(f"Rule version {before['rule_version']} → {after['rule_version']}.")
    return " ".join(parts)


def current_list_entry(person: Person) -> MonthlyListEntry | None:
    """The person's entry on the newest list they appear on, if that list is the latest month's."""
    return current_entry_of(person_list_entries(person))


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
