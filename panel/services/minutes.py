"""Panel writes: minutes, their versions and finalising them."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.services import case_move
from complexcases.core.access_log import Action
from complexcases.core.email import email_queue
from complexcases.core.errors import check_version
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role

from ..models import (
    PanelBooking,
    PanelMinutes,
    PanelMinutesVersion,
)
from ..selectors import (
    LIVE_BOOKING,
    active_invitees,
)
from .bookings import _locked_booking
from .common import Booking, PanelError, StalePanelError, _log, _url
from .follow_ups import follow_up_qdo_for, follow_up_schedule

# Minutes ---------------------------------------------------------------------------------------


def _check_version(minutes: PanelMinutes, version: str | None) -> None:
    """`version` is the minutes' updated_at when the form opened, or "new" if there were none."""
    if version == "new" and not minutes.pk:
        return
    if minutes.pk:
        check_version(
            minutes,
            version,
            "Someone else changed these minutes while you were working on them. What you "
            "entered is below: check the minutes before you save again.",
            error=StalePanelError,
        )


def _snapshot(minutes: PanelMinutes) -> tuple[dict, list]:
    content = {field: getattr(minutes, field) for field in PanelMinutes.TEXT_FIELDS}
    content["mappa_reminder_given"] = minutes.mappa_reminder_given
    attendance = [
        {
            "name": invitee.display_name,
            "role": invitee.role.name,
            "attendance": invitee.get_attendance_display(),
            "deputy": invitee.deputy_display_name,
        }
        for invitee in active_invitees(minutes.booking)
    ]
    return content, attendance


def panel_minutes_save(
    *,
    booking: PanelBooking,
    content: dict,
    attendance: dict[int, str],
    by: User,
    version: str | None = None,
    reason: str = "",
) -> PanelMinutes:
    """Save the draft; once final, a change is a new version with who and why."""
    with transaction.atomic():
        current = _locked_booking(booking, action="record minutes", allowed=LIVE_BOOKING)
        if current.slot.starts_at > timezone.now():
            raise PanelError("You cannot record minutes before the panel has started")
        minutes = PanelMinutes.objects.select_for_update().filter(booking=current).first()
        if minutes is None:
            minutes = PanelMinutes(booking=current, updated_by=by)
        _check_version(minutes, version)
        if minutes.status == PanelMinutes.Status.FINAL and not reason.strip():
            raise PanelError("Enter why the final minutes are changing")
        for field in (*PanelMinutes.TEXT_FIELDS, "mappa_reminder_given"):
            value = content.get(field, getattr(minutes, field))
            setattr(minutes, field, value.strip() if isinstance(value, str) else value)
        minutes.updated_by = by
        minutes.full_clean()
        minutes.save()
        for invitee in active_invitees(current):
            value = attendance.get(invitee.pk, invitee.attendance)
            if value != invitee.attendance:
                invitee.attendance = value
                invitee.save(update_fields=["attendance"])
        if minutes.status == PanelMinutes.Status.FINAL:
            minutes.version += 1
            minutes.save(update_fields=["version"])
            body, present = _snapshot(minutes)
            PanelMinutesVersion.objects.create(
                minutes=minutes,
                number=minutes.version,
                content=body,
                attendance=present,
                reason=reason.strip()[:500],
                finalised_by=by,
            )
            _log(
                current, by, Action.ALTERATION, f"Final minutes changed (version {minutes.version})"
            )
        else:
            _log(current, by, Action.ALTERATION, "Draft minutes saved", "panel minutes")
    return minutes


def _heads_of_service(person) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True, groups__name=Role.HEAD_OF_SERVICE, pdu_id=person.pdu_id
        ).values_list("email", flat=True)
    )


def panel_minutes_finalise(
    *, booking: PanelBooking, by: User, version: str | None = None
) -> PanelMinutes:
    """Finalise the minutes (version 1): the case is heard, and the practitioner, their SPO and
    the heads of service for the PDU get a link to the minutes and actions."""
    with transaction.atomic():
        current = _locked_booking(booking, action="finalise the minutes")
        minutes = PanelMinutes.objects.select_for_update().filter(booking=current).first()
        if minutes is None or not minutes.chair_summary:
            raise PanelError("Record the chair's summary before you finalise the minutes")
        _check_version(minutes, version)
        if minutes.status == PanelMinutes.Status.FINAL:
            raise PanelError("These minutes are already final")
        if active_invitees(current).filter(attendance="").exists():
            raise PanelError("Record the attendance of everyone invited before you finalise")
        minutes.status = PanelMinutes.Status.FINAL
        minutes.version = 1
        minutes.finalised_at = timezone.now()
        minutes.updated_by = by
        minutes.save()
        body, present = _snapshot(minutes)
        PanelMinutesVersion.objects.create(
            minutes=minutes, number=1, content=body, attendance=present, finalised_by=by
        )
        current.status = Booking.HEARD
        current.save(update_fields=["status", "updated_at"])
        case_move(current.case, Case.Status.HEARD, by=by, why="Heard at panel: minutes final")
        _log(current, by, Action.ALTERATION, "Minutes finalised")
        follow_up_schedule(
            booking=current,
            due_on=timezone.localdate() + timedelta(weeks=settings.FOLLOW_UP_WEEKS),
            qdo=follow_up_qdo_for(current),
            by=by,
        )
        case_move(current.case, Case.Status.IN_FOLLOW_UP, by=by, why="First check-in booked")
        practitioner = current.person.practitioner
        email_queue(
            subject="Complex Cases panel: minutes and actions",
            body=(
                "The minutes and actions of a Complex Cases panel discussion are final.\n\n"
                f"Read them, and the actions agreed: {_url('panel:minutes', current.pk)}\n"
            ),
            to=[
                practitioner.email,
                practitioner.line_manager.email if practitioner.line_manager else "",
                *_heads_of_service(current.person),
            ],
            person=current.person,
            record_type="panel minutes",
            record_id=current.pk,
            sent_by=by,
            template="panel-minutes-final",
            personalisation={
                "link": _url("panel:minutes", current.pk),
                "case_reference": current.case.reference,
            },
        )
    return minutes
