"""Panel writes: personal links to the papers for invitees outside the service (ADR 0045).

The token is 32 random bytes in the email and a SHA-256 in the database. Opening the papers
needs the address the link was sent to, typed in, and then a six-digit code emailed to it:
the code is kept as an HMAC under the secret key, expires in minutes, allows a few tries and
is compared in constant time. Failures are counted per link and per client address, and
past the limits the pages refuse for a while. Every download is a disclosure in the access log.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.email import email_queue
from complexcases.organisation.models import User

from ..models import PanelBooking, PanelInvitee, PanelPaper, PapersLink, PapersLinkCode
from ..models import PapersLinkFailure as Failure
from .common import PanelError, _log

CODE_MINUTES = 10
CODE_TRIES = 5
CODES_PER_HOUR = 5  # codes sent for one link
LINK_FAILURES_PER_HOUR = 10  # wrong addresses and codes for one link
CLIENT_FAILURES_PER_15_MINUTES = 20  # anything failed from one client address


class PapersLinkError(PanelError):
    """The papers link step cannot go on; the message says what to do."""


class PapersLinkLimited(PapersLinkError):
    """Too many tries: the page refuses for a while."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(link: PapersLink, code: str) -> str:
    return salted_hmac(
        "complexcases.papers-link-code", f"{link.pk}:{code}", algorithm="sha256"
    ).hexdigest()


def papers_link_issue(
    *, invitee: PanelInvitee, email: str, by: User | None
) -> tuple[PapersLink, str]:
    """A new link for one address; a live link for the same address is replaced. Returns the
    link and its token, which only the email will carry."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        PapersLink.objects.filter(
            invitee=invitee, email__iexact=email, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=by, revoked_reason="Replaced by a new link")
        link = PapersLink.objects.create(
            booking_id=invitee.booking_id,
            invitee=invitee,
            email=email.lower(),
            token_hash=token_hash(token),
            created_by=by,
        )
    return link, token


def papers_links_revoke(
    *, booking: PanelBooking, by: User | None, reason: str, invitee=None, email: str = ""
) -> int:
    """Revoke the live links of a booking (or of one invitee, or one address of theirs)."""
    links = PapersLink.objects.filter(booking=booking, revoked_at__isnull=True)
    if invitee is not None:
        links = links.filter(invitee=invitee)
    if email:
        links = links.filter(email__iexact=email)
    return links.update(revoked_at=timezone.now(), revoked_by=by, revoked_reason=reason[:200])


def papers_link_revoke(*, link: PapersLink, by: User) -> PapersLink:
    """The Complex Cases team stops a link working (it cannot be undone: send a new one instead)."""
    with transaction.atomic():
        current = (
            PapersLink.objects.select_for_update()
            .select_related("booking__person", "invitee__role")
            .get(pk=link.pk)
        )
        if current.revoked_at:
            raise PapersLinkError("That link was already revoked")
        current.revoked_at = timezone.now()
        current.revoked_by = by
        current.revoked_reason = "Revoked by the Complex Cases team"
        current.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        _log(
            current.booking,
            by,
            Action.ALTERATION,
            f"Link to the papers revoked: {current.invitee.role.name}",
            "panel papers link",
        )
    return current


def papers_link_renew(*, link: PapersLink, by: User) -> PapersLink:
    """Stop a link and send its address the invitation again with a new one (a lost email, or a
    link revoked by mistake)."""
    from .bookings import _locked_booking
    from .sessions import _booking_email, recipients_of

    with transaction.atomic():
        booking = _locked_booking(link.booking, action="send a new link")
        current = (
            PapersLink.objects.select_for_update()
            .select_related("invitee__role")
            .get(pk=link.pk, booking=booking)
        )
        invitee = current.invitee
        recipient = next(
            (
                r
                for r in recipients_of(invitee)
                if r.external and r.address.lower() == current.email.lower()
            ),
            None,
        )
        if invitee.removed_at or invitee.invited_at is None or recipient is None:
            raise PapersLinkError("This address is no longer invited: there is no link to send")
        _booking_email(booking, kind="invite", by=by, recipients=[recipient])
        _log(
            booking,
            by,
            Action.ALTERATION,
            f"New link to the papers sent: {invitee.role.name}",
            "panel papers link",
        )
    return PapersLink.objects.get(invitee=invitee, email=current.email, revoked_at__isnull=True)


# The pages outside sign-in -----------------------------------------------------------------------


def _failed(kind: str, *, link: PapersLink | None, client_address: str | None) -> None:
    Failure.objects.create(kind=kind, link=link, client_address=client_address)


def papers_link_limit_check(*, link: PapersLink | None, client_address: str | None) -> None:
    """Refuse a client, or a link, that has failed too often lately."""
    now = timezone.now()
    if client_address and (
        Failure.objects.filter(
            client_address=client_address, at__gte=now - timedelta(minutes=15)
        ).count()
        >= CLIENT_FAILURES_PER_15_MINUTES
    ):
        raise PapersLinkLimited("Too many tries. Wait 15 minutes, then try again")
    if link is not None and (
        Failure.objects.filter(link=link, at__gte=now - timedelta(hours=1)).count()
        >= LINK_FAILURES_PER_HOUR
    ):
        raise PapersLinkLimited(
            "Too many tries with this link. Wait an hour, then try again, or ask the Complex "
            "Cases team for a new link"
        )


def papers_link_not_working(*, client_address: str | None) -> None:
    """Count a try at a link that does not work (unknown, expired or revoked: all alike)."""
    _failed(Failure.Kind.LINK, link=None, client_address=client_address)


def papers_code_send(*, link: PapersLink, email: str, client_address: str | None) -> bool:
    """Email a one-time code if `email` is the address the link went to. The caller says the same
    either way, so the page tells no one which address a link belongs to."""
    papers_link_limit_check(link=link, client_address=client_address)
    typed = email.strip().lower().encode()
    if not hmac.compare_digest(typed, link.email.lower().encode()):
        _failed(Failure.Kind.ADDRESS, link=link, client_address=client_address)
        return False
    now = timezone.now()
    with transaction.atomic():
        current = PapersLink.objects.select_for_update().get(pk=link.pk)
        recent = current.codes.filter(created_at__gte=now - timedelta(hours=1)).count()
        if recent >= CODES_PER_HOUR:
            raise PapersLinkLimited(
                "You have asked for too many codes. Wait an hour, then ask for a new one"
            )
        current.codes.filter(used_at__isnull=True).update(expires_at=now)  # one code at a time
        code = f"{secrets.randbelow(1_000_000):06d}"
        PapersLinkCode.objects.create(
            link=current,
            code_hash=_code_hash(current, code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        email_queue(
            subject="Complex Cases panel: your code",
            body=(
                f"Your code is {code}\n\nIt works for {CODE_MINUTES} minutes. If you did not ask "
                "for it, you can ignore this email.\n"
            ),
            to=[current.email],
            record_type="panel papers link code",
            record_id=current.pk,
            template="panel-papers-code",
            personalisation={"code": code, "minutes": str(CODE_MINUTES)},
        )
    return True


def papers_code_check(*, link: PapersLink, code: str, client_address: str | None) -> None:
    """Accept the latest code sent for the link, or say why not. Each wrong code uses a try."""
    papers_link_limit_check(link=link, client_address=client_address)
    code = "".join(code.split())
    now = timezone.now()
    with transaction.atomic():
        current = (
            PapersLinkCode.objects.select_for_update()
            .filter(link=link, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if current is None:
            raise PapersLinkError("Ask for a code first")
        if current.expires_at <= now:
            raise PapersLinkError("The code has expired. Ask for a new code")
        if current.attempts >= CODE_TRIES:
            raise PapersLinkError(
                "You have entered a wrong code too many times. Ask for a new code"
            )
        expected = current.code_hash.encode()
        right = hmac.compare_digest(_code_hash(link, code).encode(), expected)
        if right:
            current.used_at = now
            current.save(update_fields=["used_at"])
        else:
            # Counted here, and the refusal raised after the commit, so the try is not undone.
            current.attempts = F("attempts") + 1
            current.save(update_fields=["attempts"])
            _failed(Failure.Kind.CODE, link=link, client_address=client_address)
    if not right:
        raise PapersLinkError(
            "The code is not right. Check the latest email we sent and enter its code"
        )


def papers_link_disclosed(*, link: PapersLink, paper: PanelPaper | None) -> None:
    """Log a disclosure to the link's address: a paper downloaded, or the list of papers shown."""
    with transaction.atomic():
        access_log_record(
            user=None,
            action=Action.DISCLOSURE,
            record_type="panel paper" if paper else "panel papers list",
            person=link.booking.person,
            record_id=paper.pk if paper else link.booking_id,
            detail=(
                "Panel paper downloaded with a personal link"
                if paper
                else "Panel papers listed for a personal link"
            ),
            recipient=link.email,
        )
        if paper is not None:
            PapersLink.objects.filter(pk=link.pk).update(
                downloads=F("downloads") + 1, last_downloaded_at=timezone.now()
            )


def papers_link_failures_prune(*, older_than_days: int = 1) -> int:
    """The failure counts only matter for an hour: drop the old ones (daily)."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Failure.objects.filter(at__lt=cutoff).delete()
    return deleted


__all__ = [
    "PapersLinkError",
    "PapersLinkLimited",
    "papers_code_check",
    "papers_code_send",
    "papers_link_disclosed",
    "papers_link_failures_prune",
    "papers_link_issue",
    "papers_link_limit_check",
    "papers_link_not_working",
    "papers_link_renew",
    "papers_link_revoke",
    "papers_links_revoke",
    "token_hash",
]
