"""Triage pages: the queue, one request, and assigning it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.cases.parts import next_step_for
from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record,
    access_log_record_many,
)
from complexcases.core.errors import refused
from complexcases.core.history import record_changes
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.screening.selectors import pdus_visible_to

from ..forms import (
    AssignForm,
)
from ..selectors import (
    QUEUE_TABS,
    queue_counts,
    triage_queue,
    triage_request_get_for,
    triage_wait,
)
from ..services import (
    TriageError,
    triage_request_assign,
)
from .common import Status

# The queue and a request ----------------------------------------------------------------------


@login_required
@permission_required("triage.view_triagerequest", raise_exception=True)
@require_GET
def queue(request):
    """The team's queue (every request), or a practitioner's and SPO's own and their team's."""
    pdu = request.GET.get("pdu", "")
    counts = queue_counts(user=request.user, pdu=pdu)
    if request.GET.get("tab") in QUEUE_TABS:
        tab = request.GET["tab"]
    else:  # open on the first tab with something in it, not on an empty "New (0)"
        tab = next((key for key, count in counts.items() if count), "new")
    rows = triage_queue(user=request.user, tab=tab, pdu=pdu)
    with transaction.atomic():
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="triage request",
            people=[triage.person for triage, _wait in rows],
        )
    return render(
        request,
        "triage/queue.html",
        {
            "rows": rows,
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, (label, _) in QUEUE_TABS.items()],
            "pdu": pdu,
            "pdus": pdus_visible_to(request.user),
            "team_view": request.user.has_perm("triage.view_triage_queue"),
            "is_spo": request.user.groups.filter(name=Role.SENIOR_PROBATION_OFFICER).exists(),
        },
    )


@login_required
@permission_required("triage.view_triagerequest", raise_exception=True)
@require_GET
def detail(request, pk):
    triage = triage_request_get_for(request.user, pk)
    meeting = getattr(triage, "meeting", None)
    record = getattr(triage, "record", None)
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="triage request",
            person=triage.person,
            record_id=triage.pk,
        )
    can_manage = request.user.has_perm("triage.manage_triage")
    return render(
        request,
        "triage/detail.html",
        {
            "triage": triage,
            "meeting": meeting,
            "invitees": meeting.invitees.select_related("user") if meeting else [],
            # "Record meeting as held" only once the meeting has started (the service's rule).
            "meeting_started": meeting is not None and meeting.starts_at <= timezone.now(),
            "record": record,
            "blockers": record.blockers_found.prefetch_related("themes") if record else [],
            "wait": triage_wait(triage),
            # Where the case goes from here: after "refer to panel", "Book into a panel".
            "next_step": next_step_for(triage.case, request.user) if not triage.is_open else None,
            "can_manage": can_manage,
            "changes": record_changes(triage)
            if request.user.has_perm("triage.view_triage_queue")
            else [],
            "can_withdraw": triage.is_open
            and triage.status != Status.HELD
            and request.user.has_perm("triage.withdraw_triagerequest"),
            "assign_form": AssignForm(
                queryset=_programme_managers(), initial={"assignee": triage.assigned_to_id}
            )
            if can_manage and triage.is_open
            else None,
        },
    )


def _programme_managers():
    return User.objects.filter(is_active=True, groups__name=Role.PROGRAMME_MANAGER).order_by(
        "last_name"
    )


def _consulted(request, *, person=None, triage=None) -> None:
    """Every triage page shows the person: log one consultation row for them."""
    person = triage.person if triage is not None else person
    access_log_consultation(
        request=request,
        person=person,
        record_type="triage request",
        record_id=triage.pk if triage else "",
    )


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["POST"])
def assign(request, pk):
    triage = triage_request_get_for(request.user, pk)
    form = AssignForm(request.POST, queryset=_programme_managers())
    if not form.is_valid():
        return refused(request, "Choose a programme manager", "triage:detail", pk=triage.pk)
    try:
        triage_request_assign(
            request=triage, assignee=form.cleaned_data["assignee"], by=request.user
        )
    except TriageError as error:
        return refused(request, error, "triage:detail", pk=triage.pk)
    messages.success(request, f"Assigned to {form.cleaned_data['assignee'].get_full_name()}")
    return redirect("triage:detail", pk=triage.pk)
