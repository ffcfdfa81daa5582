"""Panel pages: my actions, and updating or completing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record_many,
)
from complexcases.core.errors import rebound

from ..forms import (
    ActionCloseForm,
    ActionUpdateForm,
)
from ..selectors import (
    ACTION_ORDER,
    ACTION_SCOPES,
    ACTION_TABS,
    action_due_label,
    action_scopes_for,
    my_action_counts,
    panel_action_get_for,
)
from ..selectors import my_actions as my_actions_query
from ..services.actions import panel_action_close, panel_action_update
from ..services.common import PanelError
from .common import MANAGE

# After the panel: my actions ------------------------------------------------------------------


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_GET
def my_actions(request):
    """Every signed-in user: the actions they own or chase (SPOs: their team; the team: all)."""
    scopes = action_scopes_for(request.user)
    scope = request.GET.get("scope") if request.GET.get("scope") in scopes else "mine"
    tab = request.GET.get("tab") if request.GET.get("tab") in ACTION_TABS else "open"
    order = request.GET.get("order") if request.GET.get("order") in ACTION_ORDER else "due"
    actions = list(my_actions_query(user=request.user, tab=tab, scope=scope, order=order)[:200])
    if actions:
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="panel action",
            people=list({a.person_id: a.person for a in actions}.values()),
            detail="My actions",
        )
    today = timezone.localdate()
    counts = my_action_counts(user=request.user, scope=scope)
    return render(
        request,
        "panel/my_actions.html",
        {
            "rows": [(a, *action_due_label(a, today)) for a in actions],
            "tab": tab,
            "tab_label": ACTION_TABS[tab],
            "tab_items": [(key, label, counts[key]) for key, label in ACTION_TABS.items()],
            "scope": scope,
            "scope_label": ACTION_SCOPES[scope],
            "scopes": {key: ACTION_SCOPES[key] for key in scopes},
            "order": order,
        },
    )


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_GET
def action(request, pk):
    found = panel_action_get_for(request.user, pk)
    access_log_consultation(
        request=request, person=found.person, record_type="panel action", record_id=found.pk
    )
    return _action_page(request, found)


def _action_page(request, found, update_form=None, close_form=None, status=200):
    version = found.updated_at.isoformat()
    label, tag = action_due_label(found)
    can_update = _can_work_on(request.user, found)
    return render(
        request,
        "panel/action.html",
        {
            "action": found,
            "person": found.person,
            "label": label,
            "tag": tag,
            "updates": found.updates.select_related("by"),
            "can_update": can_update and found.status == "open",
            "update_form": update_form or ActionUpdateForm(initial={"version": version}),
            "close_form": close_form or ActionCloseForm(initial={"version": version}),
        },
        status=status,
    )


def _can_work_on(user, found) -> bool:
    """The owner, the chaser, the practitioner or SPO of the case, and the Complex Cases team."""
    return (
        user.pk in (found.owner_id, found.chaser_id)
        or user.has_perm(MANAGE)
        or found.person.practitioner_id == user.pk
        or found.person.practitioner.line_manager_id == user.pk
    )


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_POST
def action_update(request, pk):
    found = panel_action_get_for(request.user, pk)
    if not _can_work_on(request.user, found):
        messages.error(
            request,
            "Only the owner, the chaser, the case's practitioner or SPO, or the Complex Cases "
            "team can update this action",
        )
        return redirect("panel:action", pk=found.pk)
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            panel_action_update(
                action=found,
                note=form.cleaned_data["note"],
                by=request.user,
                version=form.cleaned_data["version"] or None,
            )
        except PanelError as error:
            form = rebound(ActionUpdateForm, request, found, error, version_field="update-version")
        else:
            messages.success(request, "Update added")
            return redirect("panel:action", pk=found.pk)
    found.refresh_from_db()
    return _action_page(request, found, update_form=form)


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_POST
def action_complete(request, pk):
    found = panel_action_get_for(request.user, pk)
    if not _can_work_on(request.user, found):
        messages.error(
            request,
            "Only the owner, the chaser, the case's practitioner or SPO, or the Complex Cases "
            "team can update this action",
        )
        return redirect("panel:action", pk=found.pk)
    form = ActionCloseForm(request.POST)
    if form.is_valid():
        try:
            panel_action_close(
                action=found,
                status=form.cleaned_data["status"],
                outcome_note=form.cleaned_data["outcome_note"],
                by=request.user,
                version=form.cleaned_data["version"] or None,
            )
        except PanelError as error:
            form = rebound(ActionCloseForm, request, found, error, version_field="close-version")
        else:
            closed = (
                "completed" if form.cleaned_data["status"] == "done" else "closed: no longer needed"
            )
            messages.success(request, f"Action {closed}")
            return redirect("panel:my-actions")
    found.refresh_from_db()
    return _action_page(request, found, close_form=form)
