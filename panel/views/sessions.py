"""Panel pages: sessions and recurring patterns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_record_many,
)
from complexcases.core.errors import form_error
from complexcases.core.formatting import govuk_date

from ..forms import (
    AdHocSessionForm,
    MoveSessionForm,
    PatternForm,
    ReasonForm,
)
from ..models import PanelPattern
from ..selectors import (
    is_panel_team,
    panel_session_get_for,
    panel_sessions_list,
    papers_release_date,
    session_slots,
)
from ..services.common import PanelError
from ..services.sessions import (
    panel_pattern_create,
    panel_session_cancel,
    panel_session_create,
    panel_session_move,
)
from .common import MANAGE

# Sessions -------------------------------------------------------------------------------------


@login_required
@permission_required("panel.view_panelsession", raise_exception=True)
@require_GET
def sessions(request):
    """Upcoming (or past) panel sessions with how many slots are booked; no names on this page."""
    past = request.GET.get("show") == "past"
    rows = []
    for session in panel_sessions_list(user=request.user, past=past):
        slots = list(session.slots.all())
        booked = sum(1 for slot in slots if slot.live_bookings)
        rows.append((session, slots, booked))
    return render(
        request,
        "panel/sessions.html",
        {"rows": rows, "past": past, "can_manage": request.user.has_perm(MANAGE)},
    )


@login_required
@permission_required("panel.view_panelsession", raise_exception=True)
@require_GET
def session_detail(request, pk):
    """The session's agenda: its slots, the case in each, who is invited."""
    session = panel_session_get_for(request.user, pk)
    team = is_panel_team(request.user)
    slots = session_slots(session)
    visible = set()
    if not team:
        from ..selectors import panel_bookings_visible_to

        visible = set(
            panel_bookings_visible_to(request.user)
            .filter(slot__session=session)
            .values_list("pk", flat=True)
        )
    rows = [
        (slot, booking, booking is not None and (team or booking.pk in visible))
        for slot, booking in slots
    ]
    shown = [booking.person for _, booking, can_see in rows if booking and can_see]
    if shown:
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="panel session",
            people=shown,
            detail=f"Panel session {session.pk} agenda",
        )
    return render(
        request,
        "panel/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "can_manage": request.user.has_perm(MANAGE),
            "release_date": papers_release_date(session),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = AdHocSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = panel_session_create(
                region=form.cleaned_data["region"],
                starts_at=form.starts_at(),
                slot_count=form.cleaned_data["slot_count"],
                slot_minutes=form.cleaned_data["slot_minutes"],
                by=request.user,
            )
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(request, "Session created")
            return redirect("panel:session", pk=session.pk)
    return render(
        request,
        "panel/form_page.html",
        {"form": form, "page_title": "Create a panel session", "back": reverse("panel:sessions")},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_GET
def patterns(request):
    rows = PanelPattern.objects.select_related("region").filter(disabled_on__isnull=True)
    return render(request, "panel/patterns.html", {"patterns": rows})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def pattern_create(request):
    form = PatternForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pattern = panel_pattern_create(**form.cleaned_data, by=request.user)
        made = pattern.sessions.count()
        messages.success(
            request,
            f"Recurring panel saved: {pattern.description}. {made} session{'s' if made != 1 else ''} made",
        )
        return redirect("panel:patterns")
    return render(
        request,
        "panel/form_page.html",
        {"form": form, "page_title": "Set up a recurring panel", "back": reverse("panel:patterns")},
    )


def _session_change(request, pk, *, form_class, service, page_title, done, **form_kwargs):
    session = panel_session_get_for(request.user, pk)
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = {"reason": form.cleaned_data["reason"]}
            if hasattr(form, "starts_at"):
                kwargs["starts_at"] = form.starts_at()
            service(session=session, by=request.user, **kwargs)
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("panel:session", pk=session.pk)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": page_title,
            "caption": f"Panel session, {govuk_date(session.starts_at)}",
            "back": reverse("panel:session", args=[session.pk]),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    return _session_change(
        request,
        pk,
        form_class=ReasonForm,
        service=panel_session_cancel,
        page_title="Cancel the panel session",
        done="Session cancelled. Its cases are back in the ready for panel list, and everyone invited has been told",
        label="Why is the session cancelled?",
        submit="Cancel session and tell everyone",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_move(request, pk):
    return _session_change(
        request,
        pk,
        form_class=MoveSessionForm,
        service=panel_session_move,
        page_title="Move the panel session",
        done="Session moved and updates sent",
    )
