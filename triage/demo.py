"""Synthetic demo cases at triage: one closed with guidance a month ago (a person not on this
month's list), one listed and waiting for its meeting to be arranged. Built through the real services; never real people. Running it again
changes nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.organisation.models import User
from complexcases.people.models import Person
from complexcases.screening.models import MonthlyListEntry

from .models import Theme, TriageRequest
from .services import (
    Blocker,
    triage_mark_held,
    triage_meeting_schedule,
    triage_outcome_record,
    triage_request_create,
)

MARK = "(Demo triage case.)"


def _request(
    person: Person, practitioner: User, *, days_ago: int, urgent: bool = False, listed: bool = True
):
    request = triage_request_create(
        person=person,
        requested_by=practitioner,
        requester_role=TriageRequest.RequesterRole.PRACTITIONER,
        blockers=f"Not engaging since a change of hostel; missed three appointments. {MARK}",
        tried=f"Home visits and a three-way meeting with the hostel. {MARK}",
        support_sought=f"Ideas for re-engaging, and whether a panel would help. {MARK}",
        urgent=urgent,
        listed_this_month=listed,
        below_threshold_reason="" if listed else f"Disengaged after a move of hostel. {MARK}",
    )
    # Requested `days_ago`: the request and its case open then.
    requested_at = timezone.now() - timedelta(days=days_ago)
    TriageRequest.objects.filter(pk=request.pk).update(requested_at=requested_at)
    Case.objects.filter(pk=request.case_id).update(
        opened_at=requested_at, status_changed_at=requested_at
    )
    request.refresh_from_db()
    return request


@transaction.atomic
def demo_triage_cases_load() -> int:
    """Return the number of demo triage cases made (0 when they already exist)."""
    manager = User.objects.filter(email="programme.manager@example.com").first()
    practitioner = User.objects.filter(email="practitioner@example.com").first()
    if (
        not (manager and practitioner)
        or TriageRequest.objects.filter(tried__endswith=MARK).exists()
    ):
        return 0
    listed = [
        MonthlyListEntry.Status.NEW,
        MonthlyListEntry.Status.LISTED_AGAIN,
    ]
    free = Person.objects.filter(practitioner=practitioner, triage_requests__isnull=True)
    waiting = free.filter(list_entries__status__in=listed).order_by("-crn").first()
    closed = free.exclude(list_entries__status__in=listed).order_by("crn").first()
    if waiting is None or closed is None:
        return 0
    # A month ago: a meeting arranged by phone, recorded after it happened; closed with guidance.
    request = _request(closed, practitioner, days_ago=35, listed=False)
    triage_meeting_schedule(
        request=request,
        starts_at=timezone.now() - timedelta(days=28),
        duration_minutes=45,
        invitees=[(practitioner, "Practitioner")],
        external_invitees=[],
        by=manager,
    )
    triage_mark_held(request=request, attended=[], by=manager)
    triage_outcome_record(
        request=request,
        blockers=[
            Blocker(
                "Disengaged after a change of hostel (demo)",
                list(
                    Theme.objects.filter(
                        name__in=["Housing or approved premises", "Substance misuse"]
                    )
                ),
            )
        ],
        guidance=f"Agree one named worker at the hostel; offer appointments there. {MARK}",
        outcome="closed_with_guidance",
        by=manager,
    )
    # Two days ago, urgent: the team has a meeting to arrange.
    _request(waiting, practitioner, days_ago=2, urgent=True)
    return 2
