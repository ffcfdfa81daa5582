"""Panel pages: follow-up check-ins, their nDelius text, and closing a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record_many,
)
from complexcases.core.errors import form_error, rebound
from complexcases.core.ndelius import ndelius_copy_page
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role

from ..forms import (
    FollowUpForm,
    QdoForm,
    ReasonForm,
)
from ..models import PanelAction, PathwayClosure
from ..ndelius import follow_up_contact_text
from ..selectors import (
    due_label,
    follow_up_get_for,
    follow_ups_visible_to,
    panel_booking_get_for,
)
from ..services.common import PanelError
from ..services.follow_ups import follow_up_reassign, follow_up_record, pathway_close
from .common import MANAGE, _consulted, _to_booking

# After the panel: follow-ups ------------------------------------------------------------------


@login_required
@permission_required("panel.view_followup", raise_exception=True)
@require_GET
def follow_ups(request):
    """Check-ins due: the QDO's own first, or everyone's."""
    mine = request.GET.get("show") != "all"
    rows = follow_ups_visible_to(request.user).filter(status="scheduled")
    if mine:
        rows = rows.filter(qdo=request.user)
    rows = list(rows.order_by("due_on", "pk")[:200])
    if rows:
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="follow-up",
            people=list({f.person_id: f.person for f in rows}.values()),
            detail="Follow-ups due",
        )
    today = timezone.localdate()
    return render(
        request,
        "panel/follow_ups.html",
        {"rows": [(f, *due_label(f.due_on, today)) for f in rows], "mine": mine},
    )


@login_required
@permission_required("panel.view_followup", raise_exception=True)
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    found = follow_up_get_for(request.user, pk)
    actions = list(PanelAction.objects.filter(person=found.person).order_by("due_date", "pk"))
    # The assigned QDO records the check-in (or the team, if the QDO is away).
    can_record = (
        found.status == "scheduled"
        and request.user.has_perm("panel.change_followup")
        and (found.qdo_id in (None, request.user.pk) or request.user.has_perm(MANAGE))
    )
    form = None
    if can_record:
        if request.method == "POST":
            form = FollowUpForm(request.POST, actions=actions)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    follow_up_record(
                        follow_up=found,
                        progress=form.progress(actions),
                        developments=data["developments"],
                        wellbeing=data["wellbeing"],
                        wellbeing_notes=data["wellbeing_notes"],
                        further_support=data["further_support"],
                        early_outcomes=list(data["early_outcomes"]),
                        other_outcome=data["other_outcome"],
                        held_on=data["held_on"],
                        next_check_in_weeks=data["next_check_in_weeks"],
                        by=request.user,
                        version=data["version"] or None,
                    )
                except PanelError as error:
                    form = rebound(
                        FollowUpForm,
                        request,
                        found,
                        error,
                        version_field="version",
                        actions=actions,
                    )
                else:
                    messages.success(request, "Check-in recorded")
                    return redirect("panel:follow-up", pk=found.pk)
        else:
            form = FollowUpForm(
                initial={"version": found.updated_at.isoformat(), "held_on": timezone.localdate()},
                actions=actions,
            )
    elif request.method == "POST":
        messages.error(request, "This follow-up is already recorded")
        return redirect("panel:follow-up", pk=found.pk)
    access_log_consultation(
        request=request, person=found.person, record_type="follow-up", record_id=found.pk
    )
    return render(
        request,
        "panel/follow_up.html",
        {
            "follow_up": found,
            "person": found.person,
            "form": form,
            "actions": actions,
            "progress": found.progress.select_related("action"),
            "outcomes": found.early_outcomes.all(),
            "closed": PathwayClosure.objects.filter(booking=found.booking).first(),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def follow_up_assign(request, pk):
    found = follow_up_get_for(request.user, pk)
    qdos = User.objects.filter(
        is_active=True, groups__name=Role.QUALITY_DEVELOPMENT_OFFICER
    ).order_by("last_name")
    form = QdoForm(request.POST if request.method == "POST" else None, queryset=qdos)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_reassign(follow_up=found, qdo=form.cleaned_data["qdo"], by=request.user)
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"Follow-up assigned to {form.cleaned_data['qdo'].get_full_name()}"
            )
            return redirect("panel:follow-up", pk=found.pk)
    access_log_consultation(
        request=request, person=found.person, record_type="follow-up", record_id=found.pk
    )
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Change the QDO for this check-in",
            "person": found.person,
            "back": reverse("panel:follow-up", args=[found.pk]),
        },
    )


@login_required
@permission_required("panel.view_followup", raise_exception=True)
@require_GET
def follow_up_ndelius(request, pk):
    found = follow_up_get_for(request.user, pk)
    if found.status != "completed":
        messages.error(request, "Record the check-in first")
        return redirect("panel:follow-up", pk=found.pk)
    return ndelius_copy_page(
        request,
        person=found.person,
        record_type="follow-up",
        record_id=found.pk,
        text=follow_up_contact_text(found),
        heading="Copy the check-in into nDelius",
        back_url=reverse("panel:follow-up", args=[found.pk]),
        back_label="Back to the check-in",
        kind="follow-up",
        person_link=True,
    )


@login_required
@permission_required("panel.add_pathwayclosure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def pathway_close_view(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label="Why is the case closing on the pathway?",
        submit="Close the case on the pathway",
    )
    if request.method == "POST" and form.is_valid():
        try:
            pathway_close(booking=booking, reason=form.cleaned_data["reason"], by=request.user)
        except PanelError as error:
            form_error(form, error)
        else:
            return _to_booking(booking, "Case closed on the pathway", request)
    _consulted(request, booking)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Close the case on the pathway",
            "intro": "Scheduled follow-up check-ins are cancelled. The case's history stays.",
            "person": booking.person,
            "back": reverse("panel:booking", args=[booking.pk]),
        },
    )
