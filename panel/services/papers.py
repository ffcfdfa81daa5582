"""Panel writes: papers for a case, and their release before the panel."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complexcases.core.access_log import Action
from complexcases.core.email import email_queue
from complexcases.organisation.models import User

from ..models import (
    PanelBooking,
    PanelPaper,
    PanelSession,
)
from ..papers import PaperTypeError, paper_kind
from ..selectors import (
    active_invitees,
    sessions_due_paper_release,
)
from .bookings import _locked_booking
from .common import Booking, PanelError, _log, _url
from .sessions import link_expires_words, recipients_of

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
            ).select_related("person", "slot", "case")
            for booking in bookings:
                invitees = active_invitees(booking).filter(invited_at__isnull=False)
                _papers_ready_emails(booking, [r for i in invitees for r in recipients_of(i)])
            released += 1
    return released


def _papers_ready_emails(booking: PanelBooking, recipients) -> None:
    """One email per address: staff get the link into the service; someone outside it is
    pointed to the personal link their invitation carried (ADR 0045)."""
    link = _url("panel:booking", booking.pk)
    seen = set()
    for recipient in recipients:
        if recipient.address.lower() in seen:
            continue
        seen.add(recipient.address.lower())
        common = {
            "subject": "Complex Cases panel: papers ready",
            "to": [recipient.address],
            "person": booking.person,
            "record_type": "panel papers",
            "record_id": booking.pk,
            "sent_by": None,
        }
        if recipient.external:
            expires = link_expires_words(booking)
            email_queue(
                **common,
                body=(
                    "The papers for a Complex Cases panel discussion you are invited to are ready "
                    "to read. Open them with the link in your invitation email; it works until "
                    f"{expires}. If you cannot find it, ask the case administrator who invited "
                    "you to send a new one.\n"
                ),
                template="panel-papers-ready-external",
                personalisation={
                    "link_expires": expires,
                    "case_reference": booking.case.reference,
                },
            )
            continue
        email_queue(
            **common,
            body=(
                "The papers for a Complex Cases panel discussion you are invited to are "
                f"ready to read: {link}\n"
            ),
            template="panel-papers-ready",
            personalisation={"link": link, "case_reference": booking.case.reference},
        )
