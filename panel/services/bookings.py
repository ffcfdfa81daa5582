"""Panel writes: booking a case into a slot, and its invitations."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.services import case_move
from complexcases.core.access_log import Action
from complexcases.organisation.models import User
from triage.models import TriageRecord

from ..models import (
    PanelBooking,
    PanelInvitee,
    PanelRole,
    PanelSession,
    PanelSlot,
)
from ..selectors import (
    active_invitees,
    ready_for_panel,
    seats_for,
)
from .common import Booking, PanelError, _log
from .papers_links import papers_links_revoke
from .sessions import Recipient, _booking_email, recipients_of

# Booking ---------------------------------------------------------------------------------------


def panel_booking_create(*, slot: PanelSlot, triage_record: TriageRecord, by: User) -> PanelBooking:
    """Book a referred case into a free slot, with the invitation list its characteristics suggest."""
    if triage_record.outcome != TriageRecord.Outcome.REFER_TO_PANEL:
        raise PanelError("Only a case referred to panel at triage can be booked")
    person = triage_record.request.person
    try:
        with transaction.atomic():
            slot = PanelSlot.objects.select_related("session").get(pk=slot.pk)
            # Lock the session so a cancellation cannot miss a booking made at the same moment.
            slot.session = PanelSession.objects.select_for_update().get(pk=slot.session_id)
            if slot.session.status != PanelSession.Status.SCHEDULED:
                raise PanelError("That session is cancelled. Choose another slot")
            if slot.starts_at <= timezone.now():
                raise PanelError("That slot has already started. Choose another slot")
            if not ready_for_panel().filter(pk=triage_record.pk).exists():
                raise PanelError("This case is already booked into a panel")
            case = triage_record.request.case
            booking = PanelBooking.objects.create(
                slot=slot, person=person, triage_record=triage_record, case=case, booked_by=by
            )
            case_move(case, Case.Status.BOOKED, by=by, why="Booked into a panel")
            filled, _ = seats_for(person=person, triage_record=triage_record)
            seen_users = set()
            invitees = []
            for seat in filled:
                if seat.user is not None:
                    if seat.user.pk in seen_users:
                        continue
                    seen_users.add(seat.user.pk)
                invitees.append(
                    PanelInvitee(
                        booking=booking,
                        role=seat.role,
                        user=seat.user,
                        name=seat.name if seat.user is None else "",
                        organisation=seat.organisation if seat.user is None else "",
                        email=seat.email if seat.user is None else "",
                        suggested_because=seat.because,
                    )
                )
            PanelInvitee.objects.bulk_create(invitees)
            _log(booking, by, Action.COLLECTION, "Booked into a panel slot")
    except IntegrityError:
        # The unique constraints: the slot was taken, or the person was booked, a moment ago.
        raise PanelError(
            "That slot has just been booked for another case, or this case was booked a moment "
            "ago. Choose another slot"
        ) from None
    return booking


def _locked_booking(booking: PanelBooking, *, action: str, allowed=(Booking.BOOKED,)):
    current = (
        PanelBooking.objects.select_for_update()
        .select_related("person", "slot", "slot__session")
        .get(pk=booking.pk)
    )
    if current.status not in allowed:
        raise PanelError(
            f"You cannot {action}: this case is {current.get_status_display().lower()}"
        )
    return current


def panel_booking_cancel(*, booking: PanelBooking, reason: str, by: User) -> PanelBooking:
    """Take a case out of its slot; it goes back to the ready-for-panel queue."""
    if not reason.strip():
        raise PanelError("Enter why the booking is cancelled")
    with transaction.atomic():
        current = _locked_booking(booking, action="cancel the booking")
        if current.invitations_sent_at:
            current.sequence += 1
            _booking_email(current, kind="cancel", by=by)
        current.status = Booking.CANCELLED
        current.cancelled_reason = reason.strip()[:500]
        current.save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
        papers_links_revoke(booking=current, by=by, reason="The booking was cancelled")
        case_move(current.case, Case.Status.AWAITING_PANEL, by=by, why="Panel booking cancelled")
        _log(current, by, Action.ALTERATION, "Panel booking cancelled")
    return current


# Invitations -----------------------------------------------------------------------------------


def panel_invitee_add(
    *,
    booking: PanelBooking,
    role: PanelRole,
    by: User,
    user: User | None = None,
    name: str = "",
    organisation: str = "",
    email: str = "",
) -> PanelInvitee:
    """Add someone to the case's invitation list; once invitations have gone, they are invited at once."""
    if user is None and not (name.strip() and email.strip()):
        raise PanelError("Enter the name and email address of someone outside the service")
    try:
        with transaction.atomic():
            current = _locked_booking(booking, action="change the invitations")
            invitee = PanelInvitee.objects.create(
                booking=current,
                role=role,
                user=user,
                name="" if user else name.strip(),
                organisation="" if user else organisation.strip(),
                email="" if user else email.strip(),
                suggested_because="Added by the case administrator",
            )
            _log(current, by, Action.ALTERATION, f"Invitee added: {role.name}")
            if current.invitations_sent_at:
                invitee.invited_at = timezone.now()
                invitee.save(update_fields=["invited_at"])
                _booking_email(
                    current, kind="invite", by=by, recipients=recipients_of(invitee, deputy=False)
                )
    except IntegrityError:
        raise PanelError("That person is already invited") from None
    return invitee


def panel_invitee_remove(*, invitee: PanelInvitee, by: User) -> PanelInvitee:
    """Take someone off the list; if they were invited, their calendar entry is cancelled."""
    with transaction.atomic():
        current = _locked_booking(invitee.booking, action="change the invitations")
        invitee = PanelInvitee.objects.select_for_update().get(pk=invitee.pk, booking=current)
        if invitee.removed_at:
            return invitee
        invitee.removed_at = timezone.now()
        invitee.save(update_fields=["removed_at"])
        if invitee.invited_at:
            current.sequence += 1
            current.save(update_fields=["sequence", "updated_at"])
            _booking_email(current, kind="cancel", by=by, recipients=recipients_of(invitee))
        papers_links_revoke(booking=current, invitee=invitee, by=by, reason="Taken off the list")
        _log(current, by, Action.ALTERATION, f"Invitee removed: {invitee.role.name}")
    return invitee


def panel_invitations_send(*, booking: PanelBooking, by: User) -> int:
    """Email everyone on the list not yet invited, with the calendar invitation."""
    with transaction.atomic():
        current = _locked_booking(booking, action="send invitations")
        waiting = list(active_invitees(current).filter(invited_at__isnull=True))
        if not waiting:
            raise PanelError("Everyone on the list has already been invited")
        now = timezone.now()
        PanelInvitee.objects.filter(pk__in=[i.pk for i in waiting]).update(invited_at=now)
        current.invitations_sent_at = current.invitations_sent_at or now
        current.save(update_fields=["invitations_sent_at", "updated_at"])
        # One email each: no invitee sees another's address (issue 21).
        recipients = [r for invitee in waiting for r in recipients_of(invitee)]
        _booking_email(current, kind="invite", by=by, recipients=recipients)
        _log(current, by, Action.ALTERATION, f"Invitations sent to {len(waiting)}")
    return len(waiting)


def panel_deputy_nominate(
    *,
    invitee: PanelInvitee,
    by: User,
    deputy_user: User | None = None,
    deputy_name: str = "",
    deputy_email: str = "",
) -> PanelInvitee:
    """A member sends someone in their place; the deputy is invited if invitations have gone."""
    if deputy_user is None and not (deputy_name.strip() and deputy_email.strip()):
        raise PanelError("Choose a deputy, or enter their name and email address")
    if deputy_user is not None and deputy_user.pk == invitee.user_id:
        raise PanelError("Choose someone else as your deputy")
    with transaction.atomic():
        current = _locked_booking(invitee.booking, action="nominate a deputy")
        invitee = PanelInvitee.objects.select_for_update().get(
            pk=invitee.pk, booking=current, removed_at__isnull=True
        )
        previous = recipients_of(invitee, own=False)
        invitee.deputy_user = deputy_user
        invitee.deputy_name = "" if deputy_user else deputy_name.strip()
        invitee.deputy_email = "" if deputy_user else deputy_email.strip()
        invitee.save(update_fields=["deputy_user", "deputy_name", "deputy_email"])
        _log(current, by, Action.ALTERATION, f"Deputy nominated for {invitee.role.name}")
        if current.invitations_sent_at:
            _booking_email(
                current, kind="invite", by=by, recipients=recipients_of(invitee, own=False)
            )
            replaced: list[Recipient] = [
                r for r in previous if r.address.lower() != invitee.deputy_address.lower()
            ]
            if replaced:
                _booking_email(current, kind="cancel", by=by, recipients=replaced)
    return invitee
