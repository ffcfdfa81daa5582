"""Panel writes. Each change locks what it changes, checks where it stands, and says why not."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.calendar import Attendee, meeting_ics
from complexcases.core.email import email_queue
from complexcases.core.formatting import govuk_date, govuk_time_range
from complexcases.organisation.models import Region, User
from complexcases.organisation.roles import Role
from triage.models import TriageRecord

from .models import (
    EarlyOutcome,
    FollowUp,
    FollowUpActionProgress,
    PanelAction,
    PanelActionUpdate,
    PanelBooking,
    PanelInvitee,
    PanelMinutes,
    PanelMinutesVersion,
    PanelPaper,
    PanelPattern,
    PanelRole,
    PanelSession,
    PanelSlot,
    PathwayClosure,
    ReminderDigest,
)
from .papers import PaperTypeError, paper_kind
from .recurrence import months_from, session_date
from .selectors import (
    LIVE_BOOKING,
    active_invitees,
    ready_for_panel,
    seats_for,
    sessions_due_paper_release,
)

Booking = PanelBooking.Status
PANEL_LOCK_NAMESPACE = 7_303  # this project's advisory lock keys; see screening.services


class PanelError(Exception):
    """The change is not possible as things stand; the message says why, for the user."""


class StalePanelError(PanelError):
    """Someone else changed the record after this form was opened."""


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _log(booking: PanelBooking, user, action: str, detail: str, record_type="panel case") -> None:
    access_log_record(
        user=user,
        action=action,
        record_type=record_type,
        person=booking.person,
        record_id=booking.pk,
        detail=detail,
    )


# Sessions --------------------------------------------------------------------------------------


def _make_slots(session: PanelSession, *, count: int, minutes: int) -> None:
    PanelSlot.objects.bulk_create(
        [
            PanelSlot(
                session=session,
                position=position,
                starts_at=session.starts_at + timedelta(minutes=minutes * (position - 1)),
                duration_minutes=minutes,
            )
            for position in range(1, count + 1)
        ]
    )


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def panel_pattern_create(
    *,
    region: Region,
    week: int,
    weekday: int,
    start_time: time,
    slot_count: int,
    slot_minutes: int,
    months_ahead: int,
    by: User,
) -> PanelPattern:
    """Set up a recurring panel and make its sessions for the months ahead."""
    pattern = PanelPattern(
        region=region,
        week=week,
        weekday=weekday,
        start_time=start_time,
        slot_count=slot_count,
        slot_minutes=slot_minutes,
        months_ahead=months_ahead,
        created_by=by,
    )
    pattern.full_clean()
    with transaction.atomic():
        pattern.save()
        panel_sessions_generate(pattern=pattern)
    return pattern


def panel_sessions_generate(*, pattern: PanelPattern | None = None, today: date | None = None):
    """Make the sessions each active pattern needs from this month to its horizon. Idempotent:
    a unique constraint per pattern and month, under an advisory lock, so two runs make one set."""
    today = today or timezone.localdate()
    patterns = [pattern] if pattern else PanelPattern.objects.filter(disabled_on__isnull=True)
    made = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [PANEL_LOCK_NAMESPACE])
        for each in patterns:
            existing = set(
                PanelSession.objects.filter(pattern=each).values_list("pattern_month", flat=True)
            )
            for month in months_from(today, each.months_ahead + 1):
                day = session_date(month, week=each.week, weekday=each.weekday)
                if month in existing or day < today:
                    continue
                session = PanelSession.objects.create(
                    region=each.region,
                    pattern=each,
                    pattern_month=month,
                    starts_at=_at(day, each.start_time),
                )
                _make_slots(session, count=each.slot_count, minutes=each.slot_minutes)
                made.append(session)
    return made


def panel_session_create(
    *, region: Region, starts_at: datetime, slot_count: int, slot_minutes: int, by: User
) -> PanelSession:
    """An ad-hoc session outside the pattern."""
    if starts_at <= timezone.now():
        raise PanelError("The session must be in the future")
    with transaction.atomic():
        session = PanelSession.objects.create(region=region, starts_at=starts_at, created_by=by)
        _make_slots(session, count=slot_count, minutes=slot_minutes)
    return session


def _booking_email(booking: PanelBooking, *, kind: str, by: User, to: list[str] | None = None):
    """Invitation, update or cancellation for one case's slot, with its calendar attachment."""
    slot = booking.slot
    invitees = list(active_invitees(booking))
    when = f"{govuk_date(slot.starts_at)}, {govuk_time_range(slot.starts_at, slot.ends_at)}"
    subjects = {
        "invite": "Complex Cases panel: invitation",
        "update": "Complex Cases panel: new time",
        "cancel": "Complex Cases panel: cancelled",
    }
    lines = {
        "invite": f"You are invited to the Complex Cases panel to discuss a case on {when}.",
        "update": f"The Complex Cases panel discussion you are invited to has moved to {when}.",
        "cancel": f"The Complex Cases panel discussion on {when} has been cancelled for you.",
    }
    # Reasons are free text that may name the person: they stay in the service, behind the link.
    body = (
        f"{lines[kind]}\n\nThe agenda, and the papers once released, are in the service: "
        f"{_url('panel:booking', booking.pk)}\n"
        "The panel adds support; it does not replace MAPPA or other statutory meetings.\n"
    )
    addresses = []
    for invitee in invitees:
        addresses.append(invitee.address)
        if invitee.deputy_address:
            addresses.append(invitee.deputy_address)
    to = to if to is not None else addresses
    ics = meeting_ics(
        uid=f"{booking.calendar_uid}@complex-cases",
        sequence=booking.sequence,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary="Complex Cases panel",
        description=f"Details: {_url('panel:booking', booking.pk)}",
        organiser_email=settings.DEFAULT_FROM_EMAIL,
        attendees=[Attendee(invitee.display_name, invitee.address) for invitee in invitees],
        cancelled=kind == "cancel",
    )
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    email_queue(
        subject=subjects[kind],
        body=body,
        to=to,
        person=booking.person,
        record_type="panel invitation",
        record_id=booking.pk,
        sent_by=by,
        attachments=[("invite.ics", ics, f"text/calendar; method={method}")],
        template=f"panel-{kind}",
        personalisation={"when": when, "link": _url("panel:booking", booking.pk)},
    )


def _locked_session(session: PanelSession, action: str) -> PanelSession:
    current = PanelSession.objects.select_for_update().get(pk=session.pk)
    if current.status != PanelSession.Status.SCHEDULED:
        raise PanelError(f"You cannot {action}: the session is cancelled")
    if current.starts_at <= timezone.now():
        raise PanelError(f"You cannot {action}: the session has started")
    return current


def panel_session_cancel(*, session: PanelSession, reason: str, by: User) -> PanelSession:
    """Cancel the session: its cases go back to the ready-for-panel queue and everyone invited is told."""
    if not reason.strip():
        raise PanelError("Enter why the session is cancelled")
    with transaction.atomic():
        current = _locked_session(session, "cancel the session")
        current.status = PanelSession.Status.CANCELLED
        current.change_reason = reason.strip()[:500]
        current.save(update_fields=["status", "change_reason", "updated_at"])
        bookings = PanelBooking.objects.select_for_update().filter(
            slot__session=current, status=Booking.BOOKED
        )
        for booking in bookings.select_related("person", "slot"):
            if booking.invitations_sent_at:
                booking.sequence += 1
                _booking_email(booking, kind="cancel", by=by)
            booking.status = Booking.CANCELLED
            booking.cancelled_reason = "The panel session was cancelled"
            booking.save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
            _log(booking, by, Action.ALTERATION, "Panel session cancelled")
    return current


def panel_session_move(
    *, session: PanelSession, starts_at: datetime, reason: str, by: User
) -> PanelSession:
    """Move the session and its slots; invitations are updated (same UID, next SEQUENCE)."""
    if not reason.strip():
        raise PanelError("Enter why the session is moving")
    if starts_at <= timezone.now():
        raise PanelError("The session must move to a time in the future")
    with transaction.atomic():
        current = _locked_session(session, "move the session")
        shift = starts_at - current.starts_at
        current.starts_at = starts_at
        current.change_reason = reason.strip()[:500]
        # Papers release again against the new date.
        current.papers_released_at = None
        current.save(
            update_fields=["starts_at", "change_reason", "papers_released_at", "updated_at"]
        )
        for slot in PanelSlot.objects.select_for_update().filter(session=current):
            slot.starts_at += shift
            slot.save(update_fields=["starts_at"])
        bookings = PanelBooking.objects.select_for_update().filter(
            slot__session=current, status=Booking.BOOKED
        )
        for booking in bookings.select_related("person", "slot"):
            if booking.invitations_sent_at:
                booking.sequence += 1
                booking.save(update_fields=["sequence", "updated_at"])
                _booking_email(booking, kind="update", by=by)
            _log(booking, by, Action.ALTERATION, "Panel session moved")
    return current


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
            booking = PanelBooking.objects.create(
                slot=slot, person=person, triage_record=triage_record, booked_by=by
            )
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
                _booking_email(current, kind="invite", by=by, to=[invitee.address])
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
            to = [invitee.address, invitee.deputy_address]
            _booking_email(current, kind="cancel", by=by, to=[a for a in to if a])
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
        addresses = [i.address for i in waiting] + [i.deputy_address for i in waiting]
        _booking_email(current, kind="invite", by=by, to=[a for a in addresses if a])
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
        previous = invitee.deputy_address
        invitee.deputy_user = deputy_user
        invitee.deputy_name = "" if deputy_user else deputy_name.strip()
        invitee.deputy_email = "" if deputy_user else deputy_email.strip()
        invitee.save(update_fields=["deputy_user", "deputy_name", "deputy_email"])
        _log(current, by, Action.ALTERATION, f"Deputy nominated for {invitee.role.name}")
        if current.invitations_sent_at:
            _booking_email(current, kind="invite", by=by, to=[invitee.deputy_address])
            if previous and previous != invitee.deputy_address:
                _booking_email(current, kind="cancel", by=by, to=[previous])
    return invitee


# Papers ----------------------------------------------------------------------------------------


def panel_paper_add(*, booking: PanelBooking, title: str, upload, by: User) -> PanelPaper:
    """Attach a paper: size and type checked from the content; stored under a generated name."""
    if upload.size > settings.PANEL_PAPER_MAX_BYTES:
        limit = settings.PANEL_PAPER_MAX_BYTES // (1024 * 1024)
        raise PanelError(f"The paper must be smaller than {limit} MB")
    if upload.size == 0:
        raise PanelError("The paper is empty")
    try:
        kind = paper_kind(upload)
    except PaperTypeError as error:
        raise PanelError(str(error)) from None
    with transaction.atomic():
        current = _locked_booking(booking, action="attach a paper")
        paper = PanelPaper(
            booking=current, title=title.strip(), kind=kind, size=upload.size, uploaded_by=by
        )
        paper.file.save("paper", upload, save=False)
        try:
            paper.save()
            _log(current, by, Action.COLLECTION, f"Paper attached ({kind})", "panel paper")
        except Exception:
            paper.file.delete(save=False)
            raise
    return paper


def panel_paper_remove(*, paper: PanelPaper, by: User) -> PanelPaper:
    with transaction.atomic():
        current = _locked_booking(paper.booking, action="remove a paper")
        paper = PanelPaper.objects.select_for_update().get(pk=paper.pk, booking=current)
        if paper.removed_at:
            return paper
        paper.removed_at = timezone.now()
        paper.save(update_fields=["removed_at"])
        _log(current, by, Action.ALTERATION, "Paper removed", "panel paper")
    return paper


def panel_papers_release(*, today: date | None = None) -> int:
    """Release papers for sessions within the set number of working days, and tell the invitees.
    Idempotent: a session's release time is set once, under its row lock."""
    released = 0
    for session in sessions_due_paper_release(today):
        with transaction.atomic():
            current = PanelSession.objects.select_for_update().get(pk=session.pk)
            if current.papers_released_at is not None:
                continue
            current.papers_released_at = timezone.now()
            current.save(update_fields=["papers_released_at", "updated_at"])
            bookings = PanelBooking.objects.filter(
                slot__session=current, status=Booking.BOOKED
            ).select_related("person", "slot")
            for booking in bookings:
                invitees = active_invitees(booking).filter(invited_at__isnull=False)
                to = [i.address for i in invitees] + [i.deputy_address for i in invitees]
                email_queue(
                    subject="Complex Cases panel: papers ready",
                    body=(
                        "The papers for a Complex Cases panel discussion you are invited to are "
                        f"ready to read: {_url('panel:booking', booking.pk)}\n"
                    ),
                    to=[a for a in to if a],
                    person=booking.person,
                    record_type="panel papers",
                    record_id=booking.pk,
                    sent_by=None,
                    template="panel-papers-ready",
                    personalisation={"link": _url("panel:booking", booking.pk)},
                )
            released += 1
    return released


# Minutes ---------------------------------------------------------------------------------------


def _check_version(minutes: PanelMinutes, version: str | None) -> None:
    """`version` is the minutes' updated_at when the form opened, or "new" if there were none."""
    if version == "new" and not minutes.pk:
        return
    if version is not None and minutes.pk and minutes.updated_at.isoformat() != version:
        raise StalePanelError(
            "Someone else changed these minutes while you were working on them. What you "
            "entered is below: check the minutes before you save again."
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
        _log(current, by, Action.ALTERATION, "Minutes finalised")
        follow_up_schedule(
            booking=current,
            due_on=timezone.localdate() + timedelta(weeks=settings.FOLLOW_UP_WEEKS),
            qdo=follow_up_qdo_for(current),
            by=by,
        )
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
            personalisation={"link": _url("panel:minutes", current.pk)},
        )
    return minutes


# Actions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDraft:
    description: str
    due_date: date
    owner: User | None = None
    owner_name: str = ""
    owner_organisation: str = ""
    owner_email: str = ""
    chaser: User | None = None


def panel_actions_add(
    *, booking: PanelBooking, actions: list[ActionDraft], by: User
) -> list[PanelAction]:
    """Record the actions agreed at the panel, several at once."""
    if not actions:
        raise PanelError("Enter at least one action")
    with transaction.atomic():
        current = _locked_booking(booking, action="add actions", allowed=LIVE_BOOKING)
        agreed_on = timezone.localdate(current.slot.starts_at)
        created = []
        for draft in actions:
            if draft.due_date <= agreed_on:
                raise PanelError("The due date of each action must be after the panel")
            if draft.owner is None and draft.chaser is None:
                raise PanelError("Choose who chases an action owned outside the service")
            action = PanelAction(
                booking=current,
                person=current.person,
                description=draft.description.strip(),
                owner=draft.owner,
                owner_name="" if draft.owner else draft.owner_name.strip(),
                owner_organisation="" if draft.owner else draft.owner_organisation.strip(),
                owner_email="" if draft.owner else draft.owner_email.strip(),
                chaser=None if draft.owner else draft.chaser,
                agreed_on=agreed_on,
                due_date=draft.due_date,
                created_by=by,
            )
            action.full_clean()
            action.save()
            created.append(action)
        _log(current, by, Action.COLLECTION, f"{len(created)} panel action(s) recorded")
    return created


# After the panel: actions ---------------------------------------------------------------------


def _check_action_version(action: PanelAction, version: str | None) -> None:
    if version is not None and action.updated_at.isoformat() != version:
        raise StalePanelError(
            "Someone else updated this action while you were working on it. What you entered "
            "is below: check the action before you save again."
        )


def _locked_action(action: PanelAction, version: str | None) -> PanelAction:
    current = (
        PanelAction.objects.select_for_update()
        .select_related("person", "booking")
        .get(pk=action.pk)
    )
    if current.status != PanelAction.Status.OPEN:
        raise PanelError(f"This action is already closed: {current.get_status_display().lower()}")
    _check_action_version(current, version)
    return current


def panel_action_update(
    *, action: PanelAction, note: str, by: User, version: str | None = None
) -> PanelActionUpdate:
    """Record progress on an open action."""
    if not note.strip():
        raise PanelError("Enter what has happened")
    with transaction.atomic():
        current = _locked_action(action, version)
        update = PanelActionUpdate.objects.create(action=current, note=note.strip(), by=by)
        current.save(update_fields=["updated_at"])
        _log(
            current.booking,
            by,
            Action.ALTERATION,
            f"Progress on action {current.pk}",
            "panel action",
        )
    return update


def panel_action_close(
    *, action: PanelAction, status: str, outcome_note: str, by: User, version: str | None = None
) -> PanelAction:
    """Complete an action (done, or no longer needed) with its outcome."""
    if status not in (PanelAction.Status.DONE, PanelAction.Status.NOT_NEEDED):
        raise PanelError("Select whether the action is done or no longer needed")
    if not outcome_note.strip():
        raise PanelError("Enter the outcome")
    with transaction.atomic():
        current = _locked_action(action, version)
        current.status = status
        current.outcome_note = outcome_note.strip()
        current.closed_at = timezone.now()
        current.full_clean()
        current.save(update_fields=["status", "outcome_note", "closed_at", "updated_at"])
        _log(
            current.booking,
            by,
            Action.ALTERATION,
            f"Action {current.pk} closed: {current.get_status_display()}",
            "panel action",
        )
    return current


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
            personalisation={"link": _url("panel:follow-up", current.pk)},
        )
    return current


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
    next_check_in_weeks: int | None = None,
    version: str | None = None,
) -> FollowUp:
    """Record the check-in. "To the next panel" puts the case back in the ready queue; "back to
    triage" asks the practitioner and SPO to request it; a further check-in can be booked."""
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update()
            .select_related("booking", "person", "person__practitioner")
            .get(pk=follow_up.pk)
        )
        if current.status != FollowUp.Status.SCHEDULED:
            raise PanelError("This follow-up is already recorded")
        if version is not None and current.updated_at.isoformat() != version:
            raise StalePanelError(
                "Someone else changed this follow-up while you were working on it. What you "
                "entered is below: check it before you save again."
            )
        names = {outcome.name for outcome in early_outcomes}
        if "Other" in names and not other_outcome.strip():
            raise PanelError("Describe the other early outcome")
        current.developments = developments.strip()
        current.wellbeing = wellbeing
        current.wellbeing_notes = wellbeing_notes.strip()
        current.further_support = further_support
        current.other_outcome = other_outcome.strip() if "Other" in names else ""
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
            f"Follow-up {current.number} recorded",
            "follow-up",
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
                personalisation={"link": _url("panel:booking", current.booking_id)},
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
            person=current.person, booking=current, reason=reason.strip(), closed_by=by
        )
        _log(current, by, Action.ALTERATION, "Closed on the pathway")
    return closure


# Reminders ------------------------------------------------------------------------------------


@dataclass
class Digest:
    actions: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    escalations: list = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.actions) + len(self.follow_ups) + len(self.escalations)


def reminder_digests(*, today: date) -> dict[User, Digest]:
    """Who should hear about what today: their actions and follow-ups due within
    REMINDER_DAYS_AHEAD days or overdue, and their reports' actions overdue by more than
    ESCALATION_DAYS. External owners are reminded through their internal chaser."""
    horizon = today + timedelta(days=settings.REMINDER_DAYS_AHEAD)
    escalate_before = today - timedelta(days=settings.ESCALATION_DAYS)
    digests: dict[int, Digest] = {}
    users: dict[int, User] = {}

    def digest_for(user: User) -> Digest:
        users[user.pk] = user
        return digests.setdefault(user.pk, Digest())

    due = PanelAction.objects.filter(
        status=PanelAction.Status.OPEN, due_date__lte=horizon
    ).select_related("owner", "owner__line_manager", "chaser", "chaser__line_manager")
    for action in due.order_by("due_date", "pk"):
        holder = action.owner or action.chaser
        if holder is None:
            continue
        if holder.is_active:
            digest_for(holder).actions.append(action)
        # A leaver's overdue actions still reach their manager.
        manager = holder.line_manager
        if action.due_date < escalate_before and manager is not None and manager.is_active:
            digest_for(manager).escalations.append(action)
    follow_ups = FollowUp.objects.filter(
        status=FollowUp.Status.SCHEDULED, due_on__lte=horizon, qdo__is_active=True
    ).select_related("qdo")
    for follow_up in follow_ups.order_by("due_on", "pk"):
        digest_for(follow_up.qdo).follow_ups.append(follow_up)
    return {users[pk]: digest for pk, digest in digests.items()}


def _digest_body(digest: Digest, today: date) -> str:
    def when(day: date) -> str:
        days = (day - today).days
        if days < 0:
            return f"overdue by {-days} day{'s' if days != -1 else ''}"
        return "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"

    lines = ["Complex Cases: what needs you.", ""]
    if digest.actions:
        lines.append("Your actions:")
        lines += [
            f"- Action {when(a.due_date)}: {_url('panel:action', a.pk)}" for a in digest.actions
        ]
        lines.append("")
    if digest.follow_ups:
        lines.append("Your follow-up check-ins:")
        lines += [
            f"- Check-in {when(f.due_on)}: {_url('panel:follow-up', f.pk)}"
            for f in digest.follow_ups
        ]
        lines.append("")
    if digest.escalations:
        lines.append(
            f"Actions held by people you manage, overdue by more than {settings.ESCALATION_DAYS} days:"
        )
        lines += [
            f"- Action {when(a.due_date)}: {_url('panel:action', a.pk)}" for a in digest.escalations
        ]
        lines.append("")
    lines.append(f"All your actions: {_url('panel:my-actions')}")
    return "\n".join(lines) + "\n"


def reminders_send(*, today: date | None = None) -> int:
    """Send each person at most one digest a day (links only, no names or CRNs). A second run
    the same day sends nothing: the digest row is unique per person and day."""
    today = today or timezone.localdate()
    sent = 0
    for user, digest in reminder_digests(today=today).items():
        if not digest.size:
            continue
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user=user, day=today, items=digest.size)
                access_log_record(
                    user=None,
                    action=Action.DISCLOSURE,
                    record_type="reminder digest",
                    detail=f"Reminder digest: {digest.size} item(s), links only",
                    recipient=user.email,
                )
                body = _digest_body(digest, today)
                email_queue(
                    subject="Complex Cases: your actions and follow-ups",
                    body=body,
                    to=[user.email],
                    record_type="reminder digest",
                    template="reminder-digest",
                    personalisation={
                        "items": [line[2:] for line in body.splitlines() if line.startswith("- ")],
                        "link": _url("panel:my-actions"),
                    },
                )
        except IntegrityError:
            continue  # already sent today
        sent += 1
    return sent


# Staff changes ---------------------------------------------------------------------------------


def _leaver_work(leaver: User) -> dict:
    from complexcases.people.models import Person
    from jcw.models import JcwEpisode

    return {
        "actions": PanelAction.objects.filter(owner=leaver, status=PanelAction.Status.OPEN),
        "chasing": PanelAction.objects.filter(chaser=leaver, status=PanelAction.Status.OPEN),
        "follow_ups": FollowUp.objects.filter(qdo=leaver, status=FollowUp.Status.SCHEDULED),
        "caseload": Person.objects.filter(practitioner=leaver),
        "jcw": JcwEpisode.objects.filter(
            Q(clinician=leaver) | Q(practitioner=leaver), status=JcwEpisode.Status.OPEN
        ),
    }


def staff_work_counts(*, leaver: User) -> dict[str, int]:
    """What a leaver holds, for the preview."""
    return {kind: items.count() for kind, items in _leaver_work(leaver).items()}


def staff_work_reassign(*, leaver: User, to: dict[str, User], by: User) -> dict[str, int]:
    """Move everything the leaver holds, kind by kind, to the chosen colleagues in one
    transaction, and tell each colleague what they now hold (links only)."""
    work = _leaver_work(leaver)
    missing = [kind for kind, items in work.items() if items.exists() and kind not in to]
    if missing:
        raise PanelError("Choose who takes over each kind of work")
    if (
        "follow_ups" in to
        and not to["follow_ups"].groups.filter(name=Role.QUALITY_DEVELOPMENT_OFFICER).exists()
    ):
        raise PanelError("Follow-up check-ins can only move to a quality development officer")
    if any(colleague.pk == leaver.pk or not colleague.is_active for colleague in to.values()):
        raise PanelError("Choose active colleagues other than the person leaving")
    moved: dict[str, int] = {}
    told: dict[int, list[str]] = {}
    with transaction.atomic():
        for kind, items in work.items():
            locked = list(items.select_for_update())
            if not locked:
                continue
            colleague = to[kind]
            for item in locked:
                if kind == "actions":
                    item.owner = colleague
                    item.save(update_fields=["owner", "updated_at"])
                elif kind == "chasing":
                    item.chaser = colleague
                    item.save(update_fields=["chaser", "updated_at"])
                elif kind == "follow_ups":
                    item.qdo = colleague
                    item.save(update_fields=["qdo", "updated_at"])
                elif kind == "caseload":
                    item.practitioner = colleague
                    item.save(update_fields=["practitioner", "updated_at"])
                elif kind == "jcw":
                    if item.clinician_id == leaver.pk:
                        item.clinician = colleague
                    if item.practitioner_id == leaver.pk:
                        item.practitioner = colleague
                    item.save()
                person = item if kind == "caseload" else item.person
                access_log_record(
                    user=by,
                    action=Action.ALTERATION,
                    record_type=f"reassignment: {kind}",
                    person=person,
                    record_id=item.pk,
                    detail=f"Moved from staff id {leaver.pk} to staff id {colleague.pk}",
                )
            moved[kind] = len(locked)
            told.setdefault(colleague.pk, []).append(f"{len(locked)} {dict(REASSIGN_LABELS)[kind]}")
        colleagues = {user.pk: user for user in to.values()}
        for pk, lines in told.items():
            email_queue(
                subject="Complex Cases: work passed to you",
                body=(
                    "A colleague is leaving and some of their Complex Cases work is now yours:\n"
                    + "".join(f"- {line}\n" for line in lines)
                    + f"\nYour actions: {_url('panel:my-actions')}\n"
                    f"Your follow-ups: {_url('panel:follow-ups')}\n"
                ),
                to=[colleagues[pk].email],
                record_type="reassignment",
                template="work-passed-to-you",
                personalisation={
                    "items": lines,
                    "actions_link": _url("panel:my-actions"),
                    "follow_ups_link": _url("panel:follow-ups"),
                },
            )
        email_queue(
            subject="Complex Cases: your work has been passed on",
            body="Your Complex Cases actions, follow-ups and cases have been passed to colleagues.\n",
            to=[leaver.email],
            record_type="reassignment",
            template="work-passed-on",
        )
    return moved


REASSIGN_LABELS = [
    ("actions", "open action(s) to own"),
    ("chasing", "action(s) to chase"),
    ("follow_ups", "follow-up check-in(s)"),
    ("caseload", "person(s) on your caseload"),
    ("jcw", "open joint case work episode(s)"),
]
