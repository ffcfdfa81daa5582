"""Triage pages: scheduling, rescheduling, cancelling and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from complexcases.core.errors import form_error, refused
from complexcases.core.formatting import mid_sentence
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role

from ..forms import (
    ReasonForm,
    RescheduleForm,
    TriageScheduleForm,
)
from ..selectors import (
    invitee_choices,
    pom_prompt_needed,
    triage_request_get_for,
)
from ..services import (
    ExternalInvitee,
    TriageError,
    triage_cancel,
    triage_meeting_reschedule,
    triage_meeting_schedule,
    triage_withdraw,
)
from .common import Status
from .queue import _consulted

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
        return refused(
            request,
            f"This triage request is {triage.get_status_display().lower()}",
            "triage:detail",
            pk=triage.pk,
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
                meeting = triage_meeting_schedule(
                    request=triage,
                    starts_at=form.starts_at(),
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    invitees=invitees,
                    external_invitees=external,
                    by=request.user,
                )
            except TriageError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    "Triage meeting recorded. No invitations were sent: it has already taken place."
                    if meeting.starts_at <= timezone.now()
                    else "Triage meeting scheduled. Invitations have been sent.",
                )
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
        return refused(
            request,
            f"This triage request is {triage.get_status_display().lower()}",
            "triage:detail",
            pk=triage.pk,
        )
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        initial={"duration_minutes": triage.meeting.duration_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = triage_meeting_reschedule(
                request=triage,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except TriageError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                "Meeting moved. No update was sent: the new time has already passed."
                if meeting.starts_at <= timezone.now()
                else "Meeting moved. Everyone invited has been sent an update.",
            )
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
            return refused(request, error, "triage:detail", pk=triage.pk)
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
