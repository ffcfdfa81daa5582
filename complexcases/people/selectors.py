"""Reads about people: who may see which person, and the person page's timeline.

Each workflow contributes its part of the timeline through ``core.registry``.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from complexcases.core.registry import timeline_sources
from complexcases.core.timeline import TimelineEvent
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role

from .models import Person


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


def person_timeline(person: Person, *, user, reads: dict | None = None) -> list[TimelineEvent]:
    """The person's history on the pathway that this user may see, newest first.

    The person page passes what its sections already read (``reads``), so the timeline
    sources do not read it again.
    """
    reads = {} if reads is None else reads
    events = []
    for source in timeline_sources():
        events += source(person, user=user, reads=reads)
    # Stable: entries of the same day with no time keep the order their workflow gave them.
    return sorted(events, key=TimelineEvent.sort_key, reverse=True)
