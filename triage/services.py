"""Triage writes. Each state change locks the request, checks where it stands, and says why not."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.services import case_for_new_request, case_move
from complexcases.core.access_log import Action, access_log_record
from complexcases.core.calendar import Attendee, meeting_ics
from complexcases.core.email import email_queue
from complexcases.core.errors import ServiceError, StaleEditError, check_version
from complexcases.core.formatting import govuk_date, govuk_time, govuk_time_range
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person

from .models import Theme, TriageBlocker, TriageInvitee, TriageMeeting, TriageRecord, TriageRequest

Status = TriageRequest.Status


class TriageError(ServiceError):
    """The request is not in a state that allows this; the message says why, for the user."""


class StaleTriageError(TriageError, StaleEditError):
    """Someone else changed the request after this form was opened."""


def _link(request: TriageRequest) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("triage:detail", args=[request.pk])


def _locked(request: TriageRequest, *, allowed: tuple[str, ...], action: str) -> TriageRequest:
    current = TriageRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if current.status not in allowed:
        raise TriageError(
            f"You cannot {action}: this triage request is {current.get_status_display().lower()}"
        )
    return current


def _check_version(current: TriageRequest, version: str | None) -> None:
    check_version(
        current,
        version,
        "Someone else changed this triage while you were working on it. What you entered is below: "
        "check the request before you save again.",
        error=StaleTriageError,
    )


def _start(starts_at: datetime) -> str:
    """'Tuesday 12 January 2027 at 10am'."""
    return f"{govuk_date(starts_at)} at {govuk_time(starts_at)}"


def _when(starts_at: datetime, duration_minutes: int) -> str:
    """'Tuesday 12 January 2027, 10am to 10:45am'."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    return f"{govuk_date(starts_at)}, {govuk_time_range(starts_at, ends_at)}"


def _log(request: TriageRequest, user, action: str, detail: str) -> None:
    access_log_record(
        user=user,
        action=action,
        record_type="triage request",
        person=request.person,
        record_id=request.pk,
        detail=detail,
    )


# Requesting ---------------------------------------------------------------------------------


def triage_request_create(
    *,
    person: Person,
    requested_by: User,
    requester_role: str,
    blockers: str,
    tried: str,
    support_sought: str,
    urgent: bool,
    below_threshold_reason: str = "",
    listed_this_month: bool,
) -> TriageRequest:
    """Ask for triage with a few lines; a person not listed this month needs a one-line reason."""
    if not listed_this_month and not below_threshold_reason.strip():
        raise TriageError("This person is not on this month's list: say why they need triage")
    request = TriageRequest(
        person=person,
        requested_by=requested_by,
        requester_role=requester_role,
        blockers=blockers.strip(),
        tried=tried.strip(),
        support_sought=support_sought.strip(),
        urgent=urgent,
        below_threshold_reason=below_threshold_reason.strip() if not listed_this_month else "",
    )
    # The one-open-request rule is left to the database constraint, which also stops two racing
    # requests; the case (one open per person) refuses a request while another case is open.
    request.full_clean(exclude=["case"], validate_constraints=False)
    try:
        with transaction.atomic():
            request.case = case_for_new_request(person=person, by=requested_by)
            request.save()
            _log(request, requested_by, Action.COLLECTION, "Triage requested")
            by_team = requester_role == TriageRequest.RequesterRole.TEAM
            email_queue(
                subject="Complex Cases: triage request received",
                body=(
                    (
                        "The Complex Cases team has opened a case and requested triage for you.\n\n"
                        if by_team
                        else "A triage request has been received by the Complex Cases team.\n\n"
                    )
                    + "The team will arrange a 45-minute triage meeting with the practitioner and SPO"
                    f"{' as a priority, as it is marked urgent' if urgent else ''}. "
                    f"Invitations will follow by email.\n\nSee the request: {_link(request)}\n"
                ),
                to=[requested_by.email, *_told_of_request(person, requested_by, requester_role)],
                person=person,
                record_type="triage request",
                record_id=request.pk,
                sent_by=requested_by,
                template="triage-request-received",
                personalisation={
                    "link": _link(request),
                    "urgent": "yes" if urgent else "no",
                    "case_reference": request.case.reference,
                },
            )
    except IntegrityError:
        raise TriageError("There is already an open triage request for this person") from None
    return request


def _told_of_request(person: Person, requested_by: User, requester_role: str) -> list[str]:
    """Besides who asked: a practitioner's SPO; for the team, the person's practitioner and SPO."""
    if requester_role == TriageRequest.RequesterRole.PRACTITIONER:
        spo = requested_by.line_manager
        return [spo.email if spo else ""]
    if requester_role == TriageRequest.RequesterRole.TEAM and person.practitioner is not None:
        spo = person.practitioner.line_manager
        return [person.practitioner.email, spo.email if spo else ""]
    return []


def triage_request_assign(*, request: TriageRequest, assignee: User, by: User) -> TriageRequest:
    """Give the request to a programme manager."""
    if not assignee.groups.filter(name=Role.PROGRAMME_MANAGER).exists():
        raise TriageError("Requests can only be assigned to a programme manager")
    with transaction.atomic():
        current = _locked(
            request, allowed=(Status.REQUESTED, Status.SCHEDULED, Status.HELD), action="assign it"
        )
        current.assigned_to = assignee
        current.save(update_fields=["assigned_to", "updated_at"])
        _log(
            current,
            by,
            Action.ALTERATION,
            f"Assigned to programme manager (staff id {assignee.pk})",
        )
    return current


# The meeting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExternalInvitee:
    name: str
    email: str
    role: str


def _meeting_email(meeting: TriageMeeting, *, kind: str, by: User) -> None:
    request = meeting.request
    invitees = list(meeting.invitees.select_related("user"))
    when = (
        f"{govuk_date(meeting.starts_at)}, {govuk_time_range(meeting.starts_at, meeting.ends_at)}"
    )
    subjects = {
        "invite": "Complex Cases triage meeting",
        "update": "Complex Cases triage meeting: new time",
        "cancel": "Complex Cases triage meeting: cancelled",
    }
    lines = {
        "invite": f"You are invited to a Complex Cases triage meeting on {when}.",
        "update": f"The Complex Cases triage meeting has moved to {when}.",
        "cancel": f"The Complex Cases triage meeting on {when} has been cancelled.",
    }
    # Any reason given is free text that may name the person: it stays in the service, behind the link.
    body = (
        f"{lines[kind]}\n\nThe request and the case details are in the service: {_link(request)}\n"
        "The meeting does not replace MAPPA or other statutory meetings.\n"
    )
    ics = meeting_ics(
        uid=f"{meeting.calendar_uid}@complex-cases",
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=subjects["invite"],
        description=f"Details: {_link(request)}",
        organiser_email=settings.DEFAULT_FROM_EMAIL,
        attendees=[Attendee(invitee.display_name, invitee.address) for invitee in invitees],
        cancelled=kind == "cancel",
    )
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    email_queue(
        subject=subjects[kind],
        body=body,
        to=[invitee.address for invitee in invitees],
        person=request.person,
        record_type="triage meeting",
        record_id=request.pk,
        sent_by=by,
        attachments=[("invite.ics", ics, f"text/calendar; method={method}")],
        template=f"triage-meeting-{kind}",
        personalisation={
            "when": when,
            "link": _link(request),
            "case_reference": request.case.reference,
        },
    )


# How far ahead a meeting can be booked: a date beyond this is a typing slip (2207 for 2027).
FURTHEST_AHEAD = timedelta(days=366)


def _in_the_past(starts_at: datetime) -> bool:
    """Invitations and updates go only for meetings still to come."""
    return starts_at <= timezone.now()


def _check_start(request: TriageRequest, starts_at: datetime) -> None:
    """Time runs forwards: a meeting starts after its request was made, and within a year."""
    if starts_at < request.requested_at:
        raise TriageError(
            "The meeting must start after the triage request was made, on "
            f"{_start(request.requested_at)}",
            field="meeting_date",
        )
    if starts_at > timezone.now() + FURTHEST_AHEAD:
        raise TriageError("The meeting must be within the next 12 months", field="meeting_date")


def triage_meeting_schedule(
    *,
    request: TriageRequest,
    starts_at: datetime,
    duration_minutes: int,
    invitees: list[tuple[User, str]],
    external_invitees: list[ExternalInvitee],
    by: User,
) -> TriageMeeting:
    """Book the meeting and email invitations with a calendar attachment; a meeting that has
    already happened (arranged by phone) is recorded without invitations."""
    if not invitees and not external_invitees:
        raise TriageError("Invite at least one person")
    with transaction.atomic():
        current = _locked(request, allowed=(Status.REQUESTED,), action="schedule a meeting")
        _check_start(current, starts_at)
        meeting = TriageMeeting.objects.create(
            request=current, starts_at=starts_at, duration_minutes=duration_minutes, scheduled_by=by
        )
        TriageInvitee.objects.bulk_create(
            [TriageInvitee(meeting=meeting, user=user, role=role) for user, role in invitees]
            + [
                TriageInvitee(meeting=meeting, name=e.name, email=e.email, role=e.role)
                for e in external_invitees
            ]
        )
        current.status = Status.SCHEDULED
        past = _in_the_past(starts_at)
        # The history and the access log say who recorded a past meeting, and when it was held.
        recorded = f"Meeting recorded after it took place, on {_start(starts_at)}"
        if past:
            current._change_reason = recorded
        current._history_user = by
        current.save(update_fields=["status", "updated_at"])
        case_move(current.case, Case.Status.TRIAGE_SCHEDULED, by=by, why="Triage meeting scheduled")
        _log(current, by, Action.ALTERATION, recorded if past else "Triage meeting scheduled")
        if not past:
            _meeting_email(meeting, kind="invite", by=by)
    return meeting


def triage_meeting_reschedule(
    *, request: TriageRequest, starts_at: datetime, duration_minutes: int, reason: str, by: User
) -> TriageMeeting:
    """Move the meeting: same calendar UID, higher SEQUENCE, so calendars update the event. A
    meeting moved to a time already past (it happened earlier than booked) sends no update."""
    with transaction.atomic():
        current = _locked(request, allowed=(Status.SCHEDULED,), action="reschedule the meeting")
        _check_start(current, starts_at)
        meeting = TriageMeeting.objects.select_for_update().get(request=current)
        # The history's reason holds 100 characters: the start times; the access log, both times.
        moved = f"Meeting moved from {_start(meeting.starts_at)} to {_start(starts_at)}"
        moved_in_full = (
            f"Moved from {_when(meeting.starts_at, meeting.duration_minutes)} "
            f"to {_when(starts_at, duration_minutes)}"
        )
        meeting.starts_at, meeting.duration_minutes = starts_at, duration_minutes
        meeting.reschedule_reason = reason.strip()[:500]
        meeting.sequence += 1
        meeting.save(
            update_fields=["starts_at", "duration_minutes", "sequence", "reschedule_reason"]
        )
        # The request's history says what moved, not only "Changed" (its own fields did not).
        current._change_reason = moved
        current._history_user = by
        current.save(update_fields=["updated_at"])
        past = _in_the_past(starts_at)
        done = "moved to a time already past, no update sent" if past else "rescheduled"
        _log(current, by, Action.ALTERATION, f"Triage meeting {done}. {moved_in_full}")
        if not past:
            _meeting_email(meeting, kind="update", by=by)
    return meeting


def _close(
    request: TriageRequest, *, status: str, reason: str, by: User, action: str
) -> TriageRequest:
    if not reason.strip():
        raise TriageError("Give a reason")
    with transaction.atomic():
        current = _locked(request, allowed=(Status.REQUESTED, Status.SCHEDULED), action=action)
        meeting = TriageMeeting.objects.select_for_update().filter(request=current).first()
        if meeting is not None:
            meeting.sequence += 1
            meeting.cancelled_at = timezone.now()
            meeting.save(update_fields=["sequence", "cancelled_at"])
            _meeting_email(meeting, kind="cancel", by=by)
        current.status, current.closed_reason = status, reason.strip()
        current.save(update_fields=["status", "closed_reason", "updated_at"])
        if current.case.panel_bookings.exists():
            # A further triage after panel: the case goes back to its follow-up.
            case_move(current.case, Case.Status.IN_FOLLOW_UP, by=by, why=f"Triage {status}")
        else:
            case_move(
                current.case,
                Case.Status.CLOSED,
                by=by,
                why=f"Triage {status}",
                closed_reason=status,
            )
        _log(current, by, Action.ALTERATION, f"Triage {status}")
    return current


def triage_cancel(*, request: TriageRequest, reason: str, by: User) -> TriageRequest:
    """The Complex Cases team cancels the triage (and its meeting), with a reason."""
    return _close(request, status=Status.CANCELLED, reason=reason, by=by, action="cancel it")


def triage_withdraw(*, request: TriageRequest, reason: str, by: User) -> TriageRequest:
    """The practitioner or SPO no longer needs triage."""
    return _close(request, status=Status.WITHDRAWN, reason=reason, by=by, action="withdraw it")


# Recording ------------------------------------------------------------------------------------


def triage_mark_held(
    *, request: TriageRequest, attended: list[int], by: User, version: str | None = None
):
    """The meeting took place: record who attended."""
    with transaction.atomic():
        current = _locked(request, allowed=(Status.SCHEDULED,), action="record the meeting as held")
        _check_version(current, version)
        meeting = current.meeting
        if meeting.starts_at > timezone.now():
            raise TriageError("The meeting has not started yet")
        for invitee in meeting.invitees.all():
            invitee.attended = invitee.pk in attended
            invitee.save(update_fields=["attended"])
        current.status = Status.HELD
        current.save(update_fields=["status", "updated_at"])
        case_move(current.case, Case.Status.TRIAGE_HELD, by=by, why="Triage meeting held")
        _log(current, by, Action.ALTERATION, "Triage meeting held")
    return current


@dataclass(frozen=True)
class Blocker:
    description: str
    themes: list[Theme]


def triage_outcome_record(
    *,
    request: TriageRequest,
    blockers: list[Blocker],
    guidance: str,
    outcome: str,
    panel_ask: str = "",
    redirect_to: str = "",
    redirect_reason: str = "",
    notes: str = "",
    by: User,
    version: str | None = None,
) -> TriageRecord:
    """Record the blockers, guidance and outcome; tell the practitioner and SPO there is an outcome."""
    if not blockers:
        raise TriageError("Enter at least one blocker")
    with transaction.atomic():
        current = (
            TriageRequest.objects.select_for_update()
            .select_related("person", "requested_by")
            .get(pk=request.pk)
        )
        _check_version(current, version)
        if current.status != Status.HELD:
            raise TriageError(
                f"You cannot record the outcome: this triage request is {current.get_status_display().lower()}"
            )
        record = TriageRecord(
            request=current,
            guidance=guidance.strip(),
            outcome=outcome,
            panel_ask=panel_ask.strip() if outcome == TriageRecord.Outcome.REFER_TO_PANEL else "",
            redirect_to=redirect_to if outcome == TriageRecord.Outcome.REDIRECT else "",
            redirect_reason=redirect_reason.strip()
            if outcome == TriageRecord.Outcome.REDIRECT
            else "",
            notes=notes.strip(),
            recorded_by=by,
        )
        record.full_clean()
        record.save()
        for position, blocker in enumerate(blockers):
            saved = TriageBlocker.objects.create(
                record=record, description=blocker.description.strip(), position=position
            )
            saved.themes.set(blocker.themes)
        current.status = Status.OUTCOME_RECORDED
        current.save(update_fields=["status", "updated_at"])
        why = f"Triage outcome: {record.get_outcome_display().lower()}"
        if outcome == TriageRecord.Outcome.REFER_TO_PANEL:
            case_move(current.case, Case.Status.AWAITING_PANEL, by=by, why=why)
        else:
            reason = (
                Case.ClosedReason.REDIRECTED
                if outcome == TriageRecord.Outcome.REDIRECT
                else Case.ClosedReason.GUIDANCE
            )
            case_move(current.case, Case.Status.CLOSED, by=by, why=why, closed_reason=reason)
        _log(
            current,
            by,
            Action.COLLECTION,
            f"Triage outcome recorded: {record.get_outcome_display()}",
        )
        practitioner = current.person.practitioner
        email_queue(
            subject="Complex Cases: triage outcome recorded",
            body=(
                "The outcome of a Complex Cases triage has been recorded.\n\n"
                f"Read the outcome, the guidance and the blockers identified: {_link(current)}\n"
            ),
            to=[
                practitioner.email,
                practitioner.line_manager.email if practitioner.line_manager else "",
                current.requested_by.email,
            ],
            person=current.person,
            record_type="triage record",
            record_id=current.pk,
            sent_by=by,
            template="triage-outcome-recorded",
            personalisation={"link": _link(current), "case_reference": current.case.reference},
        )
    return record
