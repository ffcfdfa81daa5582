"""Panel writes: sessions and recurring patterns."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.services import case_move
from complexcases.core.access_log import Action
from complexcases.core.calendar import Attendee, meeting_ics
from complexcases.core.email import email_queue
from complexcases.core.formatting import govuk_date, govuk_time_range
from complexcases.organisation.models import Region, User

from ..models import (
    PanelBooking,
    PanelPattern,
    PanelSession,
    PanelSlot,
)
from ..recurrence import months_from, session_date
from ..selectors import (
    active_invitees,
)
from .common import PANEL_LOCK_NAMESPACE, Booking, PanelError, _log, _url

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
        personalisation={
            "when": when,
            "link": _url("panel:booking", booking.pk),
            "case_reference": booking.case.reference,
        },
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
            case_move(booking.case, Case.Status.AWAITING_PANEL, by=by, why="Panel cancelled")
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
