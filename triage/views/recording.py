"""Triage pages: recording the meeting as held, the outcome, and its nDelius text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.errors import rebound, refused
from complexcases.core.ndelius import ndelius_copy_page

from ..forms import (
    HeldForm,
    OutcomeForm,
)
from ..models import Theme
from ..ndelius import triage_contact_text
from ..selectors import (
    triage_request_get_for,
)
from ..services import (
    Blocker,
    TriageError,
    triage_mark_held,
    triage_outcome_record,
)
from .common import Status
from .queue import _consulted

# Recording ------------------------------------------------------------------------------------


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def held(request, pk):
    triage = triage_request_get_for(request.user, pk)
    if triage.status != Status.SCHEDULED:
        return refused(
            request,
            f"This triage request is {triage.get_status_display().lower()}",
            "triage:detail",
            pk=triage.pk,
        )
    invitees = list(triage.meeting.invitees.select_related("user"))
    form = HeldForm(
        request.POST if request.method == "POST" else None,
        invitees=invitees,
        initial={
            "version": triage.updated_at.isoformat(),
            "attended": [str(i.pk) for i in invitees],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            triage_mark_held(
                request=triage,
                attended=[int(pk) for pk in form.cleaned_data["attended"]],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except TriageError as error:
            form = rebound(HeldForm, request, triage, error, invitees=invitees)
        else:
            messages.success(request, "Attendance saved. Now record the outcome.")
            return redirect("triage:outcome", pk=triage.pk)
    _consulted(request, triage=triage)
    return render(
        request,
        "triage/held.html",
        {"triage": triage, "form": form, "page_title": "Record the meeting as held"},
    )


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def outcome(request, pk):
    triage = triage_request_get_for(request.user, pk)
    if request.method == "GET" and triage.status != Status.HELD:
        return refused(
            request,
            f"This triage request is {triage.get_status_display().lower()}",
            "triage:detail",
            pk=triage.pk,
        )
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"version": triage.updated_at.isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        themes = {theme.pk: theme for theme in Theme.objects.all()}
        try:
            triage_outcome_record(
                request=triage,
                blockers=[
                    Blocker(text, [themes[pk] for pk in ids]) for text, ids in form.blockers()
                ],
                guidance=form.cleaned_data["guidance"],
                outcome=form.cleaned_data["outcome"],
                panel_ask=form.cleaned_data["panel_ask"],
                redirect_to=form.cleaned_data["redirect_to"],
                redirect_reason=form.cleaned_data["redirect_reason"],
                notes=form.cleaned_data["notes"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except TriageError as error:
            form = rebound(OutcomeForm, request, triage, error)
        else:
            messages.success(
                request, "Triage outcome saved. The practitioner and SPO have been emailed."
            )
            return redirect("triage:detail", pk=triage.pk)
    _consulted(request, triage=triage)
    return render(
        request,
        "triage/outcome.html",
        {"triage": triage, "form": form, "page_title": "Record the triage outcome"},
    )


@login_required
@permission_required("triage.view_triagerequest", raise_exception=True)
@require_GET
def ndelius(request, pk):
    triage = triage_request_get_for(request.user, pk)
    record = getattr(triage, "record", None)
    if record is None:
        return refused(request, "There is no outcome to copy yet", "triage:detail", pk=triage.pk)
    return ndelius_copy_page(
        request,
        person=triage.person,
        record_type="triage record",
        record_id=triage.pk,
        text=triage_contact_text(triage),
        heading="Copy the triage record into nDelius",
        back_url=reverse("triage:detail", args=[triage.pk]),
        back_label="Back to the triage request",
        kind="triage",
    )
