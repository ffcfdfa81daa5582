"""Reads about cases: who may open a case page, and a person's cases."""

from django.db.models import QuerySet
from django.http import Http404

from complexcases.people.selectors import people_visible_to

from .models import Case


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases of the people the user may see, for users who may open case pages."""
    if not user.is_authenticated or not user.has_perm("cases.view_case_page"):
        return Case.objects.none()
    return Case.objects.filter(person__in=people_visible_to(user))


def case_get_for(user, reference: str) -> Case:
    """The case with this reference if the user may see it; otherwise 404, as if there were none."""
    case = (
        cases_visible_to(user)
        .select_related("person", "person__pdu", "person__practitioner", "opened_by", "closed_by")
        .filter(reference=reference.upper())
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def cases_for_person(person) -> list[Case]:
    """The person's cases, newest first (the caller has checked the person may be seen)."""
    return list(Case.objects.filter(person=person).order_by("-opened_at"))


def open_case_for(person) -> Case | None:
    return Case.objects.filter(person=person).exclude(status=Case.Status.CLOSED).first()
