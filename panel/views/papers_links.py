"""Panel pages: the papers for an invitee outside the service, opened with their own link.

Outside sign-in (ADR 0045). A link that does not work (unknown, revoked, expired, its case
cancelled) always gets the same page and status, so no one learns whether a token exists.
Every page is no-store; every download is a disclosure in the access log.
"""

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms import PapersAddressForm, PapersCodeForm
from ..models import PapersLink
from ..papers import KINDS
from ..selectors import panel_booking_get_for, papers_release_date
from ..selectors.papers_links import (
    VERIFIED_MINUTES,
    papers_link_expires_at,
    papers_link_for_token,
    papers_link_verified,
    verified_session_key,
)
from ..services.common import PanelError
from ..services.papers_links import (
    CODE_MINUTES,
    PapersLinkError,
    PapersLinkLimited,
    papers_code_check,
    papers_code_send,
    papers_link_disclosed,
    papers_link_limit_check,
    papers_link_not_working,
    papers_link_renew,
    papers_link_revoke,
)
from .common import MANAGE, _slot_label, _to_booking

ADDRESS_KEY = "cc_papers_link_address_{}"


def _client(request) -> str | None:
    return get_client_ip_address(request)


def _not_working(request):
    """The one answer for every link that does not work."""
    response = render(request, "panel/papers_link/not_working.html", status=404)
    response["Cache-Control"] = "no-store"
    return response


def _limited(request, error):
    response = render(
        request, "panel/papers_link/limited.html", {"message": str(error)}, status=429
    )
    response["Cache-Control"] = "no-store"
    return response


def _open(request, token):
    """(link, None) for a link that works and a client within the limits; else (None, response)."""
    try:
        papers_link_limit_check(link=None, client_address=_client(request))
    except PapersLinkLimited as error:
        return None, _limited(request, error)
    link = papers_link_for_token(token)
    if link is None:
        papers_link_not_working(client_address=_client(request))
        return None, _not_working(request)
    return link, None


def _page(request, template, context, status=200):
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _context(link, token, **more):
    booking = link.booking
    return {
        "link": link,
        "token": token,
        "booking": booking,
        "slot_label": _slot_label(booking.slot),
        "expires_at": papers_link_expires_at(booking),
        **more,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def papers_link(request, token):
    """Step 1: the address the link was sent to."""
    link, refused = _open(request, token)
    if refused:
        return refused
    if papers_link_verified(request.session, link):
        return redirect("panel:papers-link-files", token=token)
    form = PapersAddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            papers_code_send(
                link=link, email=form.cleaned_data["email"], client_address=_client(request)
            )
        except PapersLinkLimited as error:
            return _limited(request, error)
        request.session[ADDRESS_KEY.format(link.pk)] = form.cleaned_data["email"]
        return redirect("panel:papers-link-code", token=token)
    return _page(request, "panel/papers_link/address.html", _context(link, token, form=form))


@never_cache
@require_http_methods(["GET", "POST"])
def papers_link_code(request, token):
    """Step 2: the code emailed to that address."""
    link, refused = _open(request, token)
    if refused:
        return refused
    address = request.session.get(ADDRESS_KEY.format(link.pk))
    if not address:
        return redirect("panel:papers-link", token=token)
    form = PapersCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            papers_code_check(
                link=link, code=form.cleaned_data["code"], client_address=_client(request)
            )
        except PapersLinkLimited as error:
            return _limited(request, error)
        except PapersLinkError as error:
            form.add_error("code", str(error))
        else:
            request.session.cycle_key()  # a new session id once the address is confirmed
            request.session[verified_session_key(link)] = timezone.now().timestamp()
            return redirect("panel:papers-link-files", token=token)
    return _page(
        request,
        "panel/papers_link/code.html",
        _context(link, token, form=form, address=address, code_minutes=CODE_MINUTES),
    )


@never_cache
@require_GET
def papers_link_files(request, token):
    """Step 3: the papers, once released."""
    link, refused = _open(request, token)
    if refused:
        return refused
    if not papers_link_verified(request.session, link):
        return redirect("panel:papers-link", token=token)
    session = link.booking.slot.session
    released = session.papers_released_at is not None
    papers = list(link.booking.papers.filter(removed_at__isnull=True)) if released else []
    if released:
        papers_link_disclosed(link=link, paper=None)
    return _page(
        request,
        "panel/papers_link/files.html",
        _context(
            link,
            token,
            released=released,
            papers=papers,
            release_date=papers_release_date(session),
            kinds={kind: name for kind, (name, _) in KINDS.items()},
            verified_minutes=VERIFIED_MINUTES,
        ),
    )


@never_cache
@require_GET
def papers_link_download(request, token, paper_id):
    """One paper, logged as a disclosure to the link's address."""
    link, refused = _open(request, token)
    if refused:
        return refused
    if not papers_link_verified(request.session, link):
        return redirect("panel:papers-link", token=token)
    booking = link.booking
    paper = booking.papers.filter(pk=paper_id, removed_at__isnull=True).first()
    if paper is None or booking.slot.session.papers_released_at is None:
        return _not_working(request)
    papers_link_disclosed(link=link, paper=paper)
    _, content_type = KINDS[paper.kind]
    response = FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(paper.title) or 'paper'}.{paper.kind}",
        content_type=content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


# The Complex Cases team: stopping a link, or sending a new one ----------------------------------


def _team_link(request, pk, link_id) -> PapersLink:
    booking = panel_booking_get_for(request.user, pk)
    link = PapersLink.objects.filter(pk=link_id, booking=booking).first()
    if link is None:
        raise Http404("No such link")
    link.booking = booking
    return link


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def papers_link_revoke_view(request, pk, link_id):
    link = _team_link(request, pk, link_id)
    try:
        papers_link_revoke(link=link, by=request.user)
    except PanelError as error:
        return _to_booking(link.booking, error, request, error=True)
    return _to_booking(link.booking, f"The link sent to {link.email} no longer works", request)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def papers_link_renew_view(request, pk, link_id):
    link = _team_link(request, pk, link_id)
    try:
        papers_link_renew(link=link, by=request.user)
    except PanelError as error:
        return _to_booking(link.booking, error, request, error=True)
    return _to_booking(
        link.booking,
        f"A new link was sent to {link.email}. The old one no longer works",
        request,
    )
