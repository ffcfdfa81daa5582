"""Panel writes: sessions and recurring patterns."""

from dataclasses import dataclass
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
    PanelInvitee,
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


@dataclass(frozen=True)
class Recipient:
    """One address told about a case's slot: an invitee's own, or their deputy's."""

    invitee: PanelInvitee
    name: str
    address: str
    external: bool  # no account in the service: cannot sign in, so gets no link into it


def recipients_of(invitee: PanelInvitee, *, own: bool = True, deputy: bool = True):
    """The addresses one invitee's emails go to: theirs and their deputy's."""
    found = []
    if own and invitee.address:
        found.append(
            Recipient(invitee, invitee.display_name, invitee.address, invitee.user_id is None)
        )
    if deputy and invitee.deputy_address:
        found.append(
            Recipient(
                invitee,
                invitee.deputy_display_name,
                invitee.deputy_address,
                invitee.deputy_user_id is None,
            )
        )
    return found


def link_expires_words(booking: PanelBooking) -> str:
    return f"the end of {govuk_date(booking.slot.starts_at)}"


def _booking_email(
    booking: PanelBooking, *, kind: str, by: User, recipients: list[Recipient] | None = None
):
    """Invitation, update or cancellation for one case's slot: one email per address, each with
    a calendar file naming only its recipient, so no one sees who else is invited. Someone
    outside the service gets their own wording, and with an invitation a personal link to the
    papers (ADR 0045); a cancellation stops their links."""
    from .papers_links import papers_link_issue, papers_links_revoke

    slot = booking.slot
    if recipients is None:
        recipients = [r for invitee in active_invitees(booking) for r in recipients_of(invitee)]
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
    statutory = "The panel adds support; it does not replace MAPPA or other statutory meetings.\n"
    link = _url("panel:booking", booking.pk)
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    seen = set()
    for recipient in recipients:
        if not recipient.address or recipient.address.lower() in seen:
            continue
        seen.add(recipient.address.lower())
        ics = meeting_ics(
            uid=f"{booking.calendar_uid}@complex-cases",
            sequence=booking.sequence,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            summary="Complex Cases panel",
            description="Complex Cases panel" if recipient.external else f"Details: {link}",
            organiser_email=settings.DEFAULT_FROM_EMAIL,
            attendees=[Attendee(recipient.name, recipient.address)],
            cancelled=kind == "cancel",
        )
        common = {
            "subject": subjects[kind],
            "to": [recipient.address],
            "person": booking.person,
            "record_type": "panel invitation",
            "record_id": booking.pk,
            "sent_by": by,
            "attachments": [("invite.ics", ics, f"text/calendar; method={method}")],
        }
        if not recipient.external:
            # Reasons are free text that may name the person: they stay in the service.
            email_queue(
                **common,
                body=(
                    f"{lines[kind]}\n\nThe agenda, and the papers once released, are in the "
                    f"service: {link}\n{statutory}"
                ),
                template=f"panel-{kind}",
                personalisation={
                    "when": when,
                    "link": link,
                    "case_reference": booking.case.reference,
                },
            )
        elif kind == "invite":
            papers_link = _papers_link(
                *papers_link_issue(invitee=recipient.invitee, email=recipient.address, by=by)
            )
            expires = link_expires_words(booking)
            email_queue(
                **common,
                body=(
                    f"{lines[kind]}\n\nRead the papers for the case with your own link: "
                    f"{papers_link}\nIt is for you only: please do not forward it. It asks for "
                    "this email address and a code we send to it, and works until "
                    f"{expires}. The papers are ready a few working days before the panel: "
                    f"we will email you then.\n\n{statutory}"
                ),
                template="panel-invite-external",
                personalisation={
                    "when": when,
                    "papers_link": papers_link,
                    "link_expires": expires,
                    "case_reference": booking.case.reference,
                },
            )
        else:
            if kind == "cancel":
                papers_links_revoke(
                    booking=booking,
                    invitee=recipient.invitee,
                    email=recipient.address,
                    by=by,
                    reason="No longer invited",
                )
            email_queue(
                **common,
                body=f"{lines[kind]}\n\n{statutory}",
                template=f"panel-{kind}-external",
                personalisation={"when": when, "case_reference": booking.case.reference},
            )


def _papers_link(link, token: str) -> str:
    return _url("panel:papers-link", token)


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
