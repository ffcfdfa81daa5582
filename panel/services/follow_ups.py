"""Panel writes: follow-up check-ins after panel, and closing a case on the pathway."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.services import case_move
from complexcases.core.access_log import Action
from complexcases.core.email import email_queue
from complexcases.core.errors import check_version
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role

from ..models import (
    EarlyOutcome,
    FollowUp,
    FollowUpActionProgress,
    PanelAction,
    PanelBooking,
    PathwayClosure,
)
from ..selectors import (
    active_invitees,
)
from .bookings import _locked_booking
from .common import Booking, PanelError, StalePanelError, _log, _url

# After the panel: follow-up check-ins ---------------------------------------------------------


def follow_up_qdo_for(booking: PanelBooking) -> User | None:
    """The QDO who checks in: the practitioner's team's QDO, else the QDO invited to the panel,
    else one in the person's PDU. The team can change it."""
    qdos = User.objects.filter(groups__name=Role.QUALITY_DEVELOPMENT_OFFICER, is_active=True)
    practitioner = booking.person.practitioner
    if practitioner.team_id:
        team_qdo = qdos.filter(team_id=practitioner.team_id).first()
        if team_qdo is not None:
            return team_qdo
    invited = (
        active_invitees(booking)
        .filter(user__groups__name=Role.QUALITY_DEVELOPMENT_OFFICER, user__is_active=True)
        .select_related("user")
        .first()
    )
    if invited is not None:
        return invited.user
    return qdos.filter(pdu_id=booking.person.pdu_id).first()


def follow_up_schedule(
    *, booking: PanelBooking, due_on: date, qdo: User | None, by: User | None
) -> FollowUp:
    """Book a check-in for the case (the first after finalising, or a further one)."""
    PanelBooking.objects.select_for_update().filter(pk=booking.pk).first()  # numbers in turn
    number = (booking.follow_ups.aggregate(top=Max("number"))["top"] or 0) + 1
    follow_up = FollowUp.objects.create(
        booking=booking, person=booking.person, number=number, qdo=qdo, due_on=due_on
    )
    _log(booking, by, Action.COLLECTION, f"Follow-up {number} scheduled", "follow-up")
    if qdo is not None:
        email_queue(
            subject="Complex Cases: follow-up check-in assigned to you",
            body=(
                f"A follow-up check-in after panel is due on {due_on:%-d %B %Y}.\n\n"
                f"Record it in the service: {_url('panel:follow-up', follow_up.pk)}\n"
            ),
            to=[qdo.email],
            person=booking.person,
            record_type="follow-up",
            record_id=follow_up.pk,
            sent_by=by,
            template="follow-up-scheduled",
            personalisation={
                "due_on": f"{due_on:%-d %B %Y}",
                "link": _url("panel:follow-up", follow_up.pk),
                "case_reference": booking.case.reference,
            },
        )
    return follow_up


def follow_up_reassign(*, follow_up: FollowUp, qdo: User, by: User) -> FollowUp:
    if not qdo.groups.filter(name=Role.QUALITY_DEVELOPMENT_OFFICER).exists():
        raise PanelError("Follow-ups can only be assigned to a quality development officer")
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update()
            .select_related("booking", "person")
            .get(pk=follow_up.pk)
        )
        if current.status != FollowUp.Status.SCHEDULED:
            raise PanelError("This follow-up is already recorded")
        current.qdo = qdo
        current.save(update_fields=["qdo", "updated_at"])
        _log(
            current.booking,
            by,
            Action.ALTERATION,
            f"Follow-up assigned to staff id {qdo.pk}",
            "follow-up",
        )
        email_queue(
            subject="Complex Cases: follow-up check-in assigned to you",
            body=f"A follow-up check-in has been assigned to you: {_url('panel:follow-up', current.pk)}\n",
            to=[qdo.email],
            person=current.person,
            record_type="follow-up",
            record_id=current.pk,
            sent_by=by,
            template="follow-up-reassigned",
            personalisation={
                "link": _url("panel:follow-up", current.pk),
                "case_reference": current.booking.case.reference,
            },
        )
    return current


def _check_held_on(follow_up: FollowUp, held_on: date) -> None:
    """Time runs forwards: a check-in is held on or after its panel, and not in the future."""
    heard_on = timezone.localdate(follow_up.booking.slot.starts_at)
    if held_on < heard_on:
        raise PanelError(
            f"The date the check-in was held must be on or after the panel, {heard_on:%-d %B %Y}",
            field="held_on",
        )
    if held_on > timezone.localdate():
        raise PanelError("The date the check-in was held must be today or in the past", "held_on")


def follow_up_record(
    *,
    follow_up: FollowUp,
    progress: dict[int, str],
    developments: str,
    wellbeing: str,
    wellbeing_notes: str,
    further_support: str,
    early_outcomes: list[EarlyOutcome],
    other_outcome: str,
    by: User,
    held_on: date | None = None,
    next_check_in_weeks: int | None = None,
    version: str | None = None,
) -> FollowUp:
    """Record the check-in, held on `held_on` (today unless said): on or after the panel, not
    in the future. "To the next panel" puts the case back in the ready queue; "back to
    triage" asks the practitioner and SPO to request it; a further check-in can be booked."""
    held_on = held_on or timezone.localdate()
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update()
            .select_related("booking__slot", "person", "person__practitioner")
            .get(pk=follow_up.pk)
        )
        if current.status != FollowUp.Status.SCHEDULED:
            raise PanelError("This follow-up is already recorded")
        check_version(
            current,
            version,
            "Someone else changed this follow-up while you were working on it. What you "
            "entered is below: check it before you save again.",
            error=StalePanelError,
        )
        _check_held_on(current, held_on)
        names = {outcome.name for outcome in early_outcomes}
        if "Other" in names and not other_outcome.strip():
            raise PanelError("Describe the other early outcome")
        current.developments = developments.strip()
        current.wellbeing = wellbeing
        current.wellbeing_notes = wellbeing_notes.strip()
        current.further_support = further_support
        current.other_outcome = other_outcome.strip() if "Other" in names else ""
        current.held_on = held_on
        current.status = FollowUp.Status.COMPLETED
        current.completed_at = timezone.now()
        current.completed_by = by
        current.full_clean()
        current.save()
        current.early_outcomes.set(early_outcomes)
        actions = {a.pk: a for a in PanelAction.objects.filter(person=current.person)}
        FollowUpActionProgress.objects.bulk_create(
            [
                FollowUpActionProgress(follow_up=current, action=actions[pk], note=note.strip())
                for pk, note in progress.items()
                if pk in actions and note.strip()
            ]
        )
        _log(
            current.booking,
            by,
            Action.COLLECTION,
            f"Follow-up {current.number} recorded, held on {held_on:%-d %B %Y}",
            "follow-up",
        )
        if further_support == FollowUp.FurtherSupport.PANEL:
            case_move(
                current.booking.case, Case.Status.AWAITING_PANEL, by=by, why="To the next panel"
            )
        if further_support == FollowUp.FurtherSupport.TRIAGE:
            practitioner = current.person.practitioner
            email_queue(
                subject="Complex Cases: a further triage is recommended",
                body=(
                    "A follow-up check-in after panel recommends a further triage for one of "
                    "your cases. The case is on your home page, and its panel record is here: "
                    f"{_url('panel:booking', current.booking_id)}\n"
                ),
                to=[
                    practitioner.email,
                    practitioner.line_manager.email if practitioner.line_manager else "",
                ],
                person=current.person,
                record_type="follow-up",
                record_id=current.pk,
                sent_by=by,
                template="further-triage-recommended",
                personalisation={
                    "link": _url("panel:booking", current.booking_id),
                    "case_reference": current.booking.case.reference,
                },
            )
        if next_check_in_weeks:
            follow_up_schedule(
                booking=current.booking,
                due_on=timezone.localdate() + timedelta(weeks=next_check_in_weeks),
                qdo=current.qdo or by,
                by=by,
            )
    return current


def pathway_close(*, booking: PanelBooking, reason: str, by: User) -> PathwayClosure:
    """Close the case on the pathway: scheduled check-ins are cancelled."""
    if not reason.strip():
        raise PanelError("Enter why the case is closing on the pathway")
    with transaction.atomic():
        current = _locked_booking(booking, action="close the case", allowed=(Booking.HEARD,))
        if PathwayClosure.objects.filter(booking=current).exists():
            raise PanelError("This case is already closed on the pathway")
        FollowUp.objects.filter(booking=current, status=FollowUp.Status.SCHEDULED).update(
            status=FollowUp.Status.CANCELLED
        )
        closure = PathwayClosure.objects.create(
            person=current.person,
            case=current.case,
            booking=current,
            reason=reason.strip(),
            closed_by=by,
        )
        case_move(
            current.case,
            Case.Status.CLOSED,
            by=by,
            why="Closed on the pathway",
            closed_reason=Case.ClosedReason.PATHWAY_CLOSED,
        )
        _log(current, by, Action.ALTERATION, "Closed on the pathway")
    return closure
