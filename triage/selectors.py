"""Triage reads: who may see which request, the team's queue, and the person's timeline."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from complexcases.core.timeline import TimelineEvent
from complexcases.core.working_days import working_days_between
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.people.models import CustodyStatus, Person
from complexcases.people.selectors import people_visible_to

from .models import TriageRequest

Status = TriageRequest.Status


def triage_requests_visible_to(user: User) -> QuerySet[TriageRequest]:
    """The Complex Cases team sees every request; practitioners and SPOs those on their caseloads."""
    if not user.is_authenticated or not user.has_perm("triage.view_triagerequest"):
        return TriageRequest.objects.none()
    requests = TriageRequest.objects.select_related(
        "person", "person__pdu", "requested_by", "assigned_to"
    )
    if user.has_perm("triage.view_triage_queue"):
        return requests
    return requests.filter(person__in=people_visible_to(user))


def triage_request_get_for(user: User, pk: int) -> TriageRequest:
    request = triage_requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such triage request")
    return request


@dataclass(frozen=True)
class Wait:
    working_days: int
    target: int

    @property
    def label(self) -> str:
        """In words, not colour alone."""
        left = self.target - self.working_days
        if left < 0:
            return f"Past target by {-left} working day{'s' if -left != 1 else ''}"
        if left == 0:
            return "Due today"
        if left <= 2:
            return f"Due in {left} working day{'s' if left != 1 else ''}"
        return f"{left} working days left"

    @property
    def tag_class(self) -> str:
        left = self.target - self.working_days
        return (
            "govuk-tag--red"
            if left < 0
            else "govuk-tag--orange"
            if left <= 2
            else "govuk-tag--grey"
        )


def triage_wait(request: TriageRequest, today=None) -> Wait:
    """Working days since the request (until the meeting, once held) against the service target."""
    end = today or timezone.localdate()
    meeting = getattr(request, "meeting", None)
    if request.status in (Status.HELD, Status.OUTCOME_RECORDED) and meeting is not None:
        end = timezone.localdate(meeting.starts_at)
    return Wait(
        working_days_between(timezone.localdate(request.requested_at), end),
        settings.TRIAGE_TARGET_WORKING_DAYS,
    )


QUEUE_TABS = {
    "new": ("New", [Status.REQUESTED]),
    "scheduled": ("Scheduled", [Status.SCHEDULED]),
    "awaiting-outcome": ("Awaiting outcome", [Status.HELD]),
    "closed": ("Closed", [Status.OUTCOME_RECORDED, Status.WITHDRAWN, Status.CANCELLED]),
}


def triage_queue(*, user: User, tab: str, pdu: str = "") -> list[tuple[TriageRequest, Wait]]:
    statuses = QUEUE_TABS.get(tab, QUEUE_TABS["new"])[1]
    requests = (
        triage_requests_visible_to(user)
        .filter(status__in=statuses)
        .select_related("meeting", "case")
    )
    if pdu:
        requests = requests.filter(person__pdu__code=pdu)
    requests = requests.order_by("-urgent", "requested_at")
    if tab == "closed":
        requests = requests.order_by("-updated_at")[:100]
    return [(request, triage_wait(request)) for request in requests]


def queue_counts(*, user: User, pdu: str = "") -> dict[str, int]:
    requests = triage_requests_visible_to(user)
    if pdu:
        requests = requests.filter(person__pdu__code=pdu)
    counts = dict.fromkeys(QUEUE_TABS, 0)
    for status in requests.values_list("status", flat=True):
        for tab, (_label, statuses) in QUEUE_TABS.items():
            if status in statuses:
                counts[tab] += 1
    return counts


def invitee_choices() -> dict[str, QuerySet[User]]:
    """Staff who can be invited to triage, by the role DOMAIN.md gives them."""
    roles = [
        Role.PROGRAMME_MANAGER,
        Role.CASE_ADMINISTRATOR,
        Role.QUALITY_DEVELOPMENT_OFFICER,
        Role.SENIOR_FORENSIC_PSYCHOLOGIST,
    ]
    return {
        role: User.objects.filter(is_active=True, groups__name=role).order_by(
            "last_name", "first_name"
        )
        for role in roles
    }


def pom_prompt_needed(person: Person) -> bool:
    """In custody, or due for release within 12 weeks: the evaluation asks for the POM to attend."""
    if person.custody_status == CustodyStatus.CUSTODY:
        return True
    release = person.expected_release_date
    return release is not None and (release - timezone.localdate()).days <= 84


def triage_requests_for_person(user: User, person: Person) -> list[TriageRequest]:
    """The person's requests the user may see, with meeting and record: one read for the person
    page's timeline and its open request."""
    requests = list(
        triage_requests_visible_to(user)
        .filter(person=person)
        .select_related(None)  # not the person (the caller has them) or who is assigned
        .select_related("requested_by", "meeting", "record")
    )
    for request in requests:
        request.person = person
    return requests


def triage_timeline_events(
    person: Person, *, user: User, requests: list[TriageRequest] | None = None
) -> list[TimelineEvent]:
    """Triage on the person's timeline, only for those who may see triage requests.

    `requests`: from `triage_requests_for_person`, when the caller has read them already.
    """
    events = []
    if requests is None:
        requests = triage_requests_for_person(user, person)
    for request in requests:
        href = reverse("triage:detail", args=[request.pk])
        linked = {"href": href, "case_id": request.case_id}
        events.append(
            TimelineEvent(
                timezone.localdate(request.requested_at),
                "Triage requested" + (" (urgent)" if request.urgent else ""),
                request.support_sought,
                request.requested_by.get_full_name(),
                at=request.requested_at,
                **linked,
            )
        )
        meeting = getattr(request, "meeting", None)
        if meeting is not None:
            events.append(
                TimelineEvent(
                    timezone.localdate(meeting.starts_at),
                    "Triage meeting cancelled" if meeting.cancelled_at else "Triage meeting",
                    request.closed_reason if meeting.cancelled_at else "",
                    at=meeting.starts_at,
                    **linked,
                )
            )
        record = getattr(request, "record", None)
        if record is not None:
            events.append(
                TimelineEvent(
                    timezone.localdate(record.recorded_at),
                    f"Triage outcome: {record.get_outcome_display().lower()}",
                    record.guidance[:300],
                    at=record.recorded_at,
                    **linked,
                )
            )
        if request.status == Status.WITHDRAWN:
            events.append(
                TimelineEvent(
                    timezone.localdate(request.updated_at),
                    "Triage request withdrawn",
                    request.closed_reason,
                    at=request.updated_at,
                    **linked,
                )
            )
    return events


OPEN_STATUSES = [Status.REQUESTED, Status.SCHEDULED, Status.HELD]


def open_triage_request_for(
    user: User, person: Person, *, requests: list[TriageRequest] | None = None
) -> TriageRequest | None:
    """For the person page: the person's open request, if the user may see it.

    `requests`: from `triage_requests_for_person` (in the model's order), if already read.
    """
    if requests is not None:
        return next((request for request in requests if request.status in OPEN_STATUSES), None)
    return triage_requests_visible_to(user).filter(person=person, status__in=OPEN_STATUSES).first()
