from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record,
    access_log_record_many,
)
from complexcases.core.formatting import mid_sentence
from complexcases.core.history import record_changes
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.screening.models import MonthlyListEntry
from complexcases.screening.selectors import (
    current_list_entry,
    latest_screening,
    pdus_visible_to,
    person_get_for,
)

from .forms import (
    AssignForm,
    HeldForm,
    OutcomeForm,
    ReasonForm,
    RescheduleForm,
    TriageRequestForm,
    TriageScheduleForm,
)
from .models import Theme, TriageRequest
from .ndelius import triage_contact_text
from .selectors import (
    QUEUE_TABS,
    invitee_choices,
    pom_prompt_needed,
    queue_counts,
    triage_queue,
    triage_request_get_for,
    triage_wait,
)
from .services import (
    Blocker,
    ExternalInvitee,
    StaleTriageError,
    TriageError,
    triage_cancel,
    triage_mark_held,
    triage_meeting_reschedule,
    triage_meeting_schedule,
    triage_outcome_record,
    triage_request_assign,
    triage_request_create,
    triage_withdraw,
)

Status = TriageRequest.Status
SESSION_KEY = "triage-request-draft"


def _listed_now(person) -> bool:
    entry = current_list_entry(person)
    return entry is not None and entry.status != MonthlyListEntry.Status.NO_LONGER_LISTED


def _requester_role_for(user) -> str:
    if user.groups.filter(name=Role.SENIOR_PROBATION_OFFICER).exists():
        return TriageRequest.RequesterRole.SPO
    return TriageRequest.RequesterRole.PRACTITIONER


# Requesting -----------------------------------------------------------------------------------


@login_required
@permission_required("triage.add_triagerequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def request_triage(request, crn):
    """Three short questions; the answers wait in the session until they are checked."""
    person = person_get_for(request.user, crn)
    listed = _listed_now(person)
    drafts = request.session.get(SESSION_KEY, {})
    if request.method == "POST":
        form = TriageRequestForm(request.POST, listed=listed)
        if form.is_valid():
            drafts[person.crn] = form.cleaned_data
            request.session[SESSION_KEY] = drafts
            return redirect("triage:check", crn=person.crn)
    else:
        initial = drafts.get(person.crn) or {"requester_role": _requester_role_for(request.user)}
        form = TriageRequestForm(initial=initial, listed=listed)
    _consulted(request, person=person)
    return render(
        request,
        "triage/request_form.html",
        {"person": person, "form": form, "listed": listed, "screening": latest_screening(person)},
    )


@login_required
@permission_required("triage.add_triagerequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_answers(request, crn):
    person = person_get_for(request.user, crn)
    answers = request.session.get(SESSION_KEY, {}).get(person.crn)
    if answers is None:
        return redirect("triage:request", crn=person.crn)
    if request.method == "POST":
        try:
            created = triage_request_create(
                person=person,
                requested_by=request.user,
                requester_role=answers["requester_role"],
                blockers=answers["blockers"],
                tried=answers["tried"],
                support_sought=answers["support_sought"],
                urgent=answers["urgent"] == "yes",
                below_threshold_reason=answers.get("below_threshold_reason", ""),
                listed_this_month=_listed_now(person),
            )
        except TriageError as error:
            messages.error(request, str(error))
            return redirect("triage:request", crn=person.crn)
        drafts = request.session.get(SESSION_KEY, {})
        drafts.pop(person.crn, None)
        request.session[SESSION_KEY] = drafts
        return redirect("triage:confirmation", pk=created.pk)
    _consulted(request, person=person)
    return render(
        request,
        "triage/check_answers.html",
        {"person": person, "answers": answers},
    )


@login_required
@permission_required("triage.view_triagerequest", raise_exception=True)
@require_GET
def confirmation(request, pk):
    triage = triage_request_get_for(request.user, pk)
    _consulted(request, triage=triage)
    return render(
        request,
        "triage/confirmation.html",
        {"triage": triage, "target": settings.TRIAGE_TARGET_WORKING_DAYS},
    )


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
            "record": record,
            "blockers": record.blockers_found.prefetch_related("themes") if record else [],
            "wait": triage_wait(triage),
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


def _rebound(form_class, request, triage, error, **kwargs):
    """Keep what was typed, with the error; a stale form gets the current version, so saving
    again (having read the message) goes through rather than failing for ever."""
    triage.refresh_from_db()
    data = request.POST.copy()
    if isinstance(error, StaleTriageError):
        data["version"] = triage.updated_at.isoformat()
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, str(error))
    return form


def _refused(request, triage, error):
    messages.error(request, str(error))
    return redirect("triage:detail", pk=triage.pk)


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["POST"])
def assign(request, pk):
    triage = triage_request_get_for(request.user, pk)
    form = AssignForm(request.POST, queryset=_programme_managers())
    if not form.is_valid():
        return _refused(request, triage, "Choose a programme manager")
    try:
        triage_request_assign(
            request=triage, assignee=form.cleaned_data["assignee"], by=request.user
        )
    except TriageError as error:
        return _refused(request, triage, error)
    messages.success(request, f"Assigned to {form.cleaned_data['assignee'].get_full_name()}")
    return redirect("triage:detail", pk=triage.pk)


# Scheduling -----------------------------------------------------------------------------------


def _invitee_options(triage):
    """Choices 'user:<id>|<role>' for staff in the triage roles, the practitioner and their SPO."""
    options = []
    practitioner = triage.person.practitioner
    if practitioner.is_active:
        options.append(
            (f"{practitioner.pk}|Practitioner", f"{practitioner.get_full_name()} (practitioner)")
        )
    if practitioner.line_manager and practitioner.line_manager.is_active:
        spo = practitioner.line_manager
        options.append((f"{spo.pk}|SPO", f"{spo.get_full_name()} (SPO)"))
    for role, users in invitee_choices().items():
        for user in users:
            options.append((f"{user.pk}|{role}", f"{user.get_full_name()} ({mid_sentence(role)})"))
    return options


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def schedule(request, pk):
    triage = triage_request_get_for(request.user, pk)
    if triage.status != Status.REQUESTED:
        return _refused(
            request, triage, f"This triage request is {triage.get_status_display().lower()}"
        )
    options = _invitee_options(triage)
    pom_prompt = pom_prompt_needed(triage.person)
    form_kwargs = {"invitee_choices": options, "pom_prompt": pom_prompt}
    if request.method == "POST":
        form = TriageScheduleForm(request.POST, **form_kwargs)
        if form.is_valid():
            invitees, seen = [], set()
            for value in form.cleaned_data["invitees"]:
                user_id, role = value.split("|", 1)
                if user_id not in seen:
                    seen.add(user_id)
                    invitees.append((User.objects.get(pk=user_id), role))
            external = []
            if form.cleaned_data.get("invite_pom"):
                external.append(
                    ExternalInvitee(
                        form.cleaned_data["pom_name"], form.cleaned_data["pom_email"], "POM"
                    )
                )
            try:
                triage_meeting_schedule(
                    request=triage,
                    starts_at=form.starts_at(),
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    invitees=invitees,
                    external_invitees=external,
                    by=request.user,
                )
            except TriageError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Triage meeting scheduled. Invitations have been sent.")
                return redirect("triage:detail", pk=triage.pk)
    else:
        # The QDO and the psychologist attend every triage meeting, with the case holders.
        defaults = [
            value
            for value, _label in options
            if value.endswith(
                (
                    "|Practitioner",
                    "|SPO",
                    f"|{Role.QUALITY_DEVELOPMENT_OFFICER}",
                    f"|{Role.SENIOR_FORENSIC_PSYCHOLOGIST}",
                )
            )
        ]
        if request.user.groups.filter(name=Role.PROGRAMME_MANAGER).exists():
            defaults.append(f"{request.user.pk}|{Role.PROGRAMME_MANAGER}")
        pom = triage.person
        form = TriageScheduleForm(
            initial={
                "duration_minutes": 45,
                "invitees": defaults,
                "invite_pom": pom_prompt,
                "pom_name": pom.pom_name,
                "pom_email": pom.pom_contact if "@" in pom.pom_contact else "",
            },
            **form_kwargs,
        )
    _consulted(request, triage=triage)
    return render(
        request,
        "triage/schedule.html",
        {"triage": triage, "form": form, "page_title": "Schedule triage meeting"},
    )


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reschedule(request, pk):
    triage = triage_request_get_for(request.user, pk)
    if triage.status != Status.SCHEDULED:
        return _refused(
            request, triage, f"This triage request is {triage.get_status_display().lower()}"
        )
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        initial={"duration_minutes": triage.meeting.duration_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            triage_meeting_reschedule(
                request=triage,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except TriageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Meeting moved. Everyone invited has been sent an update.")
            return redirect("triage:detail", pk=triage.pk)
    _consulted(request, triage=triage)
    return render(
        request,
        "triage/reschedule.html",
        {"triage": triage, "form": form, "page_title": "Reschedule the meeting"},
    )


def _close_view(request, pk, *, service, label, submit, done, template_title):
    triage = triage_request_get_for(request.user, pk)
    form = ReasonForm(
        request.POST if request.method == "POST" else None, label=label, submit=submit
    )
    if request.method == "POST" and form.is_valid():
        try:
            service(request=triage, reason=form.cleaned_data["reason"], by=request.user)
        except TriageError as error:
            return _refused(request, triage, error)
        messages.success(request, done)
        return redirect("triage:detail", pk=triage.pk)
    _consulted(request, triage=triage)
    return render(
        request,
        "triage/reason.html",
        {"triage": triage, "form": form, "page_title": template_title},
    )


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    return _close_view(
        request,
        pk,
        service=triage_cancel,
        label="Why is the triage being cancelled?",
        submit="Cancel triage",
        done="Triage cancelled. Anyone invited has been sent a cancellation.",
        template_title="Cancel triage",
    )


@login_required
@permission_required("triage.withdraw_triagerequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    return _close_view(
        request,
        pk,
        service=triage_withdraw,
        label="Why is the request being withdrawn?",
        submit="Withdraw request",
        done="Triage request withdrawn.",
        template_title="Withdraw triage request",
    )


# Recording ------------------------------------------------------------------------------------


@login_required
@permission_required("triage.manage_triage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def held(request, pk):
    triage = triage_request_get_for(request.user, pk)
    if triage.status != Status.SCHEDULED:
        return _refused(
            request, triage, f"This triage request is {triage.get_status_display().lower()}"
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
            form = _rebound(HeldForm, request, triage, error, invitees=invitees)
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
        return _refused(
            request, triage, f"This triage request is {triage.get_status_display().lower()}"
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
            form = _rebound(OutcomeForm, request, triage, error)
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
        return _refused(request, triage, "There is no outcome to copy yet")
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="triage record",
            person=triage.person,
            record_id=triage.pk,
            detail="nDelius contact text viewed",
            recipient="nDelius (copied by the user)",
        )
    return render(
        request, "triage/ndelius.html", {"triage": triage, "text": triage_contact_text(triage)}
    )
