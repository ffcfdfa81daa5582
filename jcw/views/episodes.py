"""Joint case work pages: opening an episode, its aim, and closing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.errors import form_error, rebound, refused, version_of
from complexcases.core.history import record_changes
from complexcases.screening.selectors import latest_screening

from ..forms import (
    AimForm,
    CloseForm,
    EpisodeOpenForm,
)
from ..models import JcwFeedback
from ..reference import AGREEMENT_SCALE, CONFIDENCE_SCALE, RATING_STATEMENTS
from ..selectors import (
    activity_names,
    jcw_episode_get_for,
    jcw_person_openable_get_for,
    open_episode_for,
)
from ..services import (
    JcwError,
    jcw_episode_aim_set,
    jcw_episode_close,
    jcw_episode_open,
)
from .common import _consulted

# Episodes -------------------------------------------------------------------------------------


@login_required
@permission_required("jcw.add_jcwepisode", raise_exception=True)
@require_http_methods(["GET", "POST"])
def episode_open(request, crn):
    """A clinician opens joint case work with the aim (or adds the aim before the first session)."""
    person = jcw_person_openable_get_for(request.user, crn)
    already = open_episode_for(person)
    if already is not None:
        messages.error(request, "There is already open joint case work for this person")
        if already.clinician_id == request.user.pk:
            return redirect("jcw:episode", pk=already.pk)
        return redirect("jcw:caseload")
    screening = latest_screening(person)
    screened_in = bool(screening and screening.opd_screened_in)
    form = EpisodeOpenForm(
        request.POST if request.method == "POST" else None,
        screened_in=screened_in,
        initial={"started_on": timezone.localdate(), "planned_sessions": 6},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode = jcw_episode_open(
                person=person,
                clinician=request.user,
                started_on=data["started_on"],
                planned_sessions=data["planned_sessions"],
                dilemma=data["dilemma"],
                desired_outcome=data["desired_outcome"],
                extra_sessions_reason=data["extra_sessions_reason"],
                not_screened_in_reason=data.get("not_screened_in_reason", ""),
            )
        except JcwError as error:
            form_error(form, error)
        else:
            messages.success(
                request, "Joint case work started. The practitioner has been sent a link."
            )
            return redirect("jcw:episode", pk=episode.pk)
    _consulted(request, person=person)
    return render(
        request,
        "jcw/episode_open.html",
        {"person": person, "form": form, "screened_in": screened_in, "screening": screening},
    )


def _feedback_answers(feedback: JcwFeedback) -> list[tuple[str, str]]:
    agreement, confidence = dict(AGREEMENT_SCALE), dict(CONFIDENCE_SCALE)
    answers = [
        (short, agreement[getattr(feedback, f)]) for f, _statement, short in RATING_STATEMENTS
    ]
    answers += [
        ("Confidence working with this person before", confidence[feedback.confidence_before]),
        ("Confidence working with this person after", confidence[feedback.confidence_after]),
    ]
    return answers


@login_required
@permission_required("jcw.view_jcwepisode", raise_exception=True)
@require_GET
def episode(request, pk):
    episode = jcw_episode_get_for(request.user, pk)
    contacts = list(
        episode.contacts.select_related("recorded_by").prefetch_related("activities__activity_type")
    )
    feedback = list(episode.feedback.select_related("given_by", "contact"))
    sessions_used = sum(1 for contact in contacts if contact.is_joint_case_work)
    _consulted(request, episode=episode)
    gave_end_feedback = any(
        f.stage == JcwFeedback.Stage.END_OF_EPISODE and f.given_by_id == request.user.pk
        for f in feedback
    )
    return render(
        request,
        "jcw/episode.html",
        {
            "episode": episode,
            "contacts": [(contact, activity_names(contact)) for contact in contacts],
            "feedback": [(f, _feedback_answers(f)) for f in feedback],
            "sessions_used": sessions_used,
            "can_change": episode.is_open and request.user.has_perm("jcw.change_jcwepisode"),
            "can_record": episode.is_open and request.user.has_perm("jcw.add_jcwcontact"),
            "can_give_feedback": bool(contacts)
            and not gave_end_feedback
            and request.user.has_perm("jcw.add_jcwfeedback"),
            "changes": record_changes(episode) if request.user.has_perm("jcw.view_all_jcw") else [],
        },
    )


@login_required
@permission_required("jcw.change_jcwepisode", raise_exception=True)
@require_http_methods(["GET", "POST"])
def episode_aim(request, pk):
    episode = jcw_episode_get_for(request.user, pk)
    if not episode.is_open:
        return refused(request, "This joint case work has ended", "jcw:episode", pk=episode.pk)
    form = AimForm(
        request.POST if request.method == "POST" else None,
        initial={
            "dilemma": episode.dilemma,
            "desired_outcome": episode.desired_outcome,
            "planned_sessions": episode.planned_sessions,
            "extra_sessions_reason": episode.extra_sessions_reason,
            "version": version_of(episode),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jcw_episode_aim_set(
                episode=episode,
                dilemma=data["dilemma"],
                desired_outcome=data["desired_outcome"],
                planned_sessions=data["planned_sessions"],
                extra_sessions_reason=data["extra_sessions_reason"],
                by=request.user,
                version=data["version"],
            )
        except JcwError as error:
            form = rebound(AimForm, request, episode, error)
        else:
            messages.success(request, "Aim saved")
            return redirect("jcw:episode", pk=episode.pk)
    _consulted(request, episode=episode)
    title = "Change the aim" if episode.has_aim else "Record the aim"
    return render(
        request,
        "jcw/form_page.html",
        {"episode": episode, "form": form, "page_title": title, "intro": "aim"},
    )


@login_required
@permission_required("jcw.change_jcwepisode", raise_exception=True)
@require_http_methods(["GET", "POST"])
def episode_close(request, pk):
    episode = jcw_episode_get_for(request.user, pk)
    if not episode.is_open:
        return refused(
            request, "This joint case work has already ended", "jcw:episode", pk=episode.pk
        )
    form = CloseForm(
        request.POST if request.method == "POST" else None,
        initial={"closed_on": timezone.localdate(), "version": version_of(episode)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jcw_episode_close(
                episode=episode,
                outcome=data["outcome"],
                closing_note=data["closing_note"],
                closed_on=data["closed_on"],
                by=request.user,
                version=data["version"],
            )
        except JcwError as error:
            form = rebound(CloseForm, request, episode, error)
        else:
            messages.success(
                request,
                "Joint case work ended. The practitioner has been asked for their feedback.",
            )
            return redirect("jcw:episode", pk=episode.pk)
    _consulted(request, episode=episode)
    return render(
        request,
        "jcw/form_page.html",
        {
            "episode": episode,
            "form": form,
            "page_title": "End joint case work",
            "intro": "close",
        },
    )
