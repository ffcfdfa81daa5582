"""Panel pages: papers, the pack and who may open them."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complexcases.core.access_log import (
    Action,
    access_log_record,
)
from complexcases.screening.selectors import criteria_explained, latest_screening

from ..forms import (
    PaperForm,
)
from ..papers import KINDS
from ..selectors import (
    earlier_actions,
    panel_booking_get_for,
    panel_paper_get_for,
    papers_open_to,
    papers_release_date,
)
from ..services.common import PanelError
from ..services.papers import panel_paper_add, panel_paper_remove
from .common import MANAGE, VIEW_CASE, _consulted, _slot_label, _to_booking

# Papers ---------------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def paper_upload(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    form = PaperForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_paper_add(
                booking=booking,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except PanelError as error:
            form.add_error("file", str(error))
        else:
            return _to_booking(booking, "Paper attached", request)
    _consulted(request, booking)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Attach a paper",
            "multipart": True,
            "person": booking.person,
            "intro": _papers_intro(booking),
            "back": reverse("panel:booking", args=[booking.pk]),
        },
    )


def _papers_intro(booking) -> str:
    if booking.slot.session.papers_released_at:
        return "Papers for this session are released: invitees can read a new paper straight away."
    day = papers_release_date(booking.slot.session)
    return f"Invitees can read papers from {govuk_date_day(day)}."


def govuk_date_day(day) -> str:
    return f"{day:%A %-d %B %Y}"


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def paper(request, pk, paper_id):
    """Download a paper: the team, or an invitee once released; every view logged."""
    booking = panel_booking_get_for(request.user, pk)
    found = panel_paper_get_for(request.user, booking, paper_id)
    access_log_record(
        user=request.user,
        action=Action.CONSULTATION,
        record_type="panel paper",
        person=booking.person,
        record_id=found.pk,
        detail="Panel paper opened",
    )
    _, content_type = KINDS[found.kind]
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(found.title) or 'paper'}.{found.kind}",
        content_type=content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def paper_remove(request, pk, paper_id):
    booking = panel_booking_get_for(request.user, pk)
    found = booking.papers.filter(pk=paper_id).first()
    if found is None:
        raise Http404("No such paper")
    try:
        panel_paper_remove(paper=found, by=request.user)
    except PanelError as error:
        return _to_booking(booking, error, request, error=True)
    return _to_booking(booking, "Paper removed", request)


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def pack(request, pk):
    """The case summary pack, built from the record, print-friendly."""
    booking = panel_booking_get_for(request.user, pk)
    if not papers_open_to(request.user, booking):
        raise Http404("The papers are not released yet")
    _consulted(request, booking, "panel case summary pack")
    screening = latest_screening(booking.person)
    triage_record = booking.triage_record
    return render(
        request,
        "panel/pack.html",
        {
            "booking": booking,
            "person": booking.person,
            "screening": screening,
            "criteria": criteria_explained(screening),
            "triage_record": triage_record,
            "triage_request": triage_record.request if triage_record else None,
            "blockers": triage_record.blockers_found.prefetch_related("themes")
            if triage_record
            else [],
            "earlier_actions": earlier_actions(booking),
            "slot_label": _slot_label(booking.slot),
            "generated_at": timezone.now(),
        },
    )
