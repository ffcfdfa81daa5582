"""Panel pages: minutes, their versions, and the actions agreed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complexcases.core.errors import form_error

from ..forms import (
    ACTION_ROWS,
    MinutesForm,
)
from ..forms import ActionForm as _ActionForm
from ..models import PanelMinutes
from ..selectors import (
    action_owner_choices,
    active_invitees,
    earlier_actions,
    panel_booking_get_for,
)
from ..services.actions import ActionDraft, panel_actions_add
from ..services.common import PanelError, StalePanelError
from ..services.minutes import panel_minutes_finalise, panel_minutes_save
from .common import AGENDA_LABELS, MANAGE, VIEW_CASE, _consulted, _slot_label, _started

# Minutes and actions --------------------------------------------------------------------------


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def minutes(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    _consulted(request, booking, "panel minutes")
    found = PanelMinutes.objects.filter(booking=booking).first()
    can_manage = request.user.has_perm(MANAGE)
    if found is not None and found.status == PanelMinutes.Status.DRAFT and not can_manage:
        found = None  # drafts are the case administrator's until final
    return render(
        request,
        "panel/minutes.html",
        {
            "booking": booking,
            "person": booking.person,
            "minutes": found,
            "versions": found.versions.select_related("finalised_by") if found else [],
            "invitees": list(active_invitees(booking)),
            "actions": booking.actions.select_related("owner", "chaser").prefetch_related(
                "updates"
            ),
            "earlier_actions": earlier_actions(booking).filter(status="open"),
            "can_manage": can_manage,
            "slot_label": _slot_label(booking.slot),
            "started": _started(booking.slot),
            "sections": [(label, getattr(found, name)) for name, label in AGENDA_LABELS]
            if found
            else [],
        },
    )


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def minutes_version(request, pk, number):
    booking = panel_booking_get_for(request.user, pk)
    found = PanelMinutes.objects.filter(booking=booking).first()
    version = (
        found.versions.filter(number=number).select_related("finalised_by").first()
        if found
        else None
    )
    if version is None:
        raise Http404("No such version")
    _consulted(request, booking, "panel minutes")
    return render(
        request,
        "panel/minutes_version.html",
        {
            "booking": booking,
            "person": booking.person,
            "version": version,
            "latest": found.version,
            "sections": [(label, version.content.get(name, "")) for name, label in AGENDA_LABELS],
            "slot_label": _slot_label(booking.slot),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    found = PanelMinutes.objects.filter(booking=booking).first()
    final = found is not None and found.status == PanelMinutes.Status.FINAL
    people = list(active_invitees(booking))
    if request.method == "POST":
        form = MinutesForm(request.POST, invitees=people, final=final)
        if form.is_valid():
            try:
                panel_minutes_save(
                    booking=booking,
                    content=form.content(),
                    attendance=form.attendance(people),
                    by=request.user,
                    version=form.cleaned_data.get("version") or None,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except PanelError as error:
                if isinstance(error, StalePanelError):
                    data = request.POST.copy()
                    data["version"] = PanelMinutes.objects.get(
                        booking=booking
                    ).updated_at.isoformat()
                    form = MinutesForm(data, invitees=people, final=final)
                    form.is_valid()
                form_error(form, error)
            else:
                messages.success(
                    request, "New version of the minutes saved" if final else "Draft minutes saved"
                )
                return redirect("panel:minutes", pk=booking.pk)
    else:
        initial = {f"attendance_{i.pk}": i.attendance for i in people}
        if found is not None:
            initial |= {name: getattr(found, name) for name in PanelMinutes.TEXT_FIELDS}
            initial |= {
                "mappa_reminder_given": found.mappa_reminder_given,
                "version": found.updated_at.isoformat(),
            }
        if found is None:
            initial["version"] = "new"
        form = MinutesForm(initial=initial, invitees=people, final=final)
    _consulted(request, booking, "panel minutes")
    return render(
        request,
        "panel/minutes_edit.html",
        {
            "form": form,
            "booking": booking,
            "person": booking.person,
            "final": final,
            "earlier_actions": earlier_actions(booking).filter(status="open"),
            "slot_label": _slot_label(booking.slot),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def minutes_finalise(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    try:
        panel_minutes_finalise(
            booking=booking, by=request.user, version=request.POST.get("version") or None
        )
    except PanelError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Minutes finalised. The practitioner, their SPO and the heads of service have been sent a link",
        )
    return redirect("panel:minutes", pk=booking.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def actions_add(request, pk):
    """Several actions at once; "Add another action" keeps what was typed and adds a row."""
    booking = panel_booking_get_for(request.user, pk)
    staff = action_owner_choices()
    Formset = formset_factory(_ActionForm, extra=0, min_num=1, max_num=20)
    adding = False
    if request.method == "POST":
        formset = Formset(request.POST, form_kwargs={"staff": staff})
        if "add_another" in request.POST:
            data = request.POST.copy()
            data["form-TOTAL_FORMS"] = str(int(data.get("form-TOTAL_FORMS", 1)) + 1)
            formset = Formset(data, form_kwargs={"staff": staff})
            adding = True
        elif formset.is_valid():
            drafts = [
                ActionDraft(
                    description=form.cleaned_data["description"],
                    due_date=form.cleaned_data["due_date"],
                    owner=form.cleaned_data["owner"],
                    owner_name=form.cleaned_data["owner_name"],
                    chaser=form.cleaned_data["chaser"],
                )
                for form in formset
                if not form.is_blank
            ]
            if not drafts:
                formset.forms[0].add_error("description", "Enter at least one action")
            else:
                try:
                    created = panel_actions_add(booking=booking, actions=drafts, by=request.user)
                except PanelError as error:
                    formset.forms[0].add_error(None, str(error))
                else:
                    messages.success(
                        request, f"{len(created)} action{'s' if len(created) != 1 else ''} recorded"
                    )
                    return redirect("panel:minutes", pk=booking.pk)
    else:
        formset = Formset(initial=[{}] * ACTION_ROWS, form_kwargs={"staff": staff})
    _consulted(request, booking)
    show_errors = request.method == "POST" and not adding
    return render(
        request,
        "panel/actions_add.html",
        {
            "formset": formset,
            "booking": booking,
            "person": booking.person,
            "show_errors": show_errors,
            "slot_label": _slot_label(booking.slot),
        },
    )
