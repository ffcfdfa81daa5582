from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record,
    access_log_record_many,
)
from complexcases.core.history import record_changes
from complexcases.organisation.roles import Role
from complexcases.reporting.figures import SUPPRESSED
from complexcases.screening.export import write_csv
from complexcases.screening.selectors import latest_screening

from .forms import (
    PERIODS,
    AimForm,
    CloseForm,
    ContactForm,
    EpisodeOpenForm,
    FeedbackForm,
    FindPersonForm,
    PractitionerViewForm,
)
from .models import JcwFeedback
from .ndelius import jcw_contact_text
from .reference import AGREEMENT_SCALE, CONFIDENCE_SCALE, RATING_STATEMENTS
from .selectors import (
    CASELOAD_TABS,
    activity_names,
    jcw_caseload,
    jcw_caseload_counts,
    jcw_contact_get_for,
    jcw_counts,
    jcw_episode_get_for,
    jcw_episodes_timeline,
    jcw_feedback_counted_for,
    jcw_feedback_given,
    jcw_feedback_summary,
    jcw_next_session,
    jcw_people_openable_by,
    jcw_person_episodes,
    jcw_person_get_for,
    jcw_person_openable_get_for,
    months_ending,
    open_episode_for,
)
from .services import (
    JcwError,
    Ratings,
    StaleJcwError,
    jcw_contact_practitioner_view_set,
    jcw_contact_record,
    jcw_episode_aim_set,
    jcw_episode_close,
    jcw_episode_open,
    jcw_feedback_give,
    version_of,
)


def _consulted(request, *, episode=None, contact=None, person=None) -> None:
    """Every joint case work page shows the person: one consultation row for them."""
    if contact is not None:
        access_log_consultation(
            request=request,
            person=contact.episode.person,
            record_type="JCW contact",
            record_id=contact.pk,
        )
    elif episode is not None:
        access_log_consultation(
            request=request, person=episode.person, record_type="JCW episode", record_id=episode.pk
        )
    else:
        access_log_consultation(request=request, person=person, record_type="JCW")


def _refused(request, episode, error):
    messages.error(request, str(error))
    return redirect("jcw:episode", pk=episode.pk)


def _rebound(form_class, request, record, error, **kwargs):
    """Keep what was typed, with the error; a stale form gets the current version, so saving
    again (having read the message) goes through rather than failing for ever."""
    record.refresh_from_db()
    data = request.POST.copy()
    if isinstance(error, StaleJcwError):
        data["version"] = version_of(record)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, str(error))
    return form


# The caseload and the person ------------------------------------------------------------------


@login_required
@permission_required("jcw.view_jcwepisode", raise_exception=True)
@require_GET
def caseload(request):
    """Open joint case work the user may see (a clinician's own caseload), with sessions used of planned."""
    tab = request.GET.get("tab") if request.GET.get("tab") in CASELOAD_TABS else "open"
    episodes = list(jcw_caseload(user=request.user, tab=tab))
    with transaction.atomic():
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="JCW episode",
            people=[episode.person for episode in episodes],
        )
    counts = jcw_caseload_counts(user=request.user)
    return render(
        request,
        "jcw/caseload.html",
        {
            "episodes": episodes,
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in CASELOAD_TABS.items()],
            "is_clinician": request.user.has_perm("jcw.add_jcwepisode"),
        },
    )


@login_required
@permission_required("jcw.add_jcwepisode", raise_exception=True)
@require_http_methods(["GET", "POST"])
def start(request):
    """A clinician finds the person by CRN (POSTed: a search box, not a link; the episode pages use the CRN in their path like every person page)."""
    form = FindPersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        crn = form.cleaned_data["crn"]
        if jcw_people_openable_by(request.user).filter(crn=crn).exists():
            return redirect("jcw:episode-open", crn=crn)
        form.add_error(
            "crn",
            f"There is no one with that CRN in {request.user.pdu.name}, your probation "
            "delivery unit: check the CRN",
        )
    return render(
        request,
        "jcw/start.html",
        {"form": form, "has_pdu": bool(request.user.pdu_id)},
    )


@login_required
@permission_required("jcw.view_jcwepisode", raise_exception=True)
@require_GET
def person(request, crn):
    """The person's joint case work: every episode the user may see, and its contacts on a timeline."""
    person = jcw_person_get_for(request.user, crn)
    episodes = jcw_person_episodes(user=request.user, person=person)
    _consulted(request, person=person)
    can_open = (
        request.user.has_perm("jcw.add_jcwepisode")
        and not any(episode.is_open for episode in episodes)
        and jcw_people_openable_by(request.user).filter(pk=person.pk).exists()
    )
    return render(
        request,
        "jcw/person.html",
        {
            "person": person,
            "episodes": episodes,
            "timeline": sorted(
                jcw_episodes_timeline(episodes),
                key=lambda event: event.when,
                reverse=True,
            ),
            "can_open": can_open,
        },
    )


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
            form.add_error(None, str(error))
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
        return _refused(request, episode, "This joint case work has ended")
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
            form = _rebound(AimForm, request, episode, error)
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
        return _refused(request, episode, "This joint case work has already ended")
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
            form = _rebound(CloseForm, request, episode, error)
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


# Contacts -------------------------------------------------------------------------------------


@login_required
@permission_required("jcw.add_jcwcontact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_record(request, pk):
    """The clinician or the practitioner records a contact."""
    episode = jcw_episode_get_for(request.user, pk)
    if not episode.is_open:
        return _refused(request, episode, "This joint case work has ended")
    if not episode.has_aim:
        return _refused(
            request,
            episode,
            "Record the aim of the joint case work (the dilemma to solve and the desired "
            "outcome) before the first contact",
        )
    next_session, needs_reason = jcw_next_session(episode)
    kwargs = {"episode": episode, "next_session": next_session, "needs_reason": needs_reason}
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial={"took_part": ["clinician", "practitioner"]},
        **kwargs,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = jcw_contact_record(
                episode=episode,
                contact_type=data["contact_type"],
                occurred_at=form.occurred_at(),
                activity_types=data["activity_types"],
                other_activity=data["other_activity"],
                clinician_took_part="clinician" in data["took_part"],
                practitioner_took_part="practitioner" in data["took_part"],
                others_took_part=data["others_took_part"],
                notes=data["notes"],
                next_steps=data["next_steps"],
                extra_session_reason=data.get("extra_session_reason", ""),
                by=request.user,
            )
        except JcwError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Contact saved")
            return redirect("jcw:contact", pk=contact.pk)
    _consulted(request, episode=episode)
    return render(
        request,
        "jcw/form_page.html",
        {
            "episode": episode,
            "form": form,
            "page_title": "Record a contact",
            "intro": "contact",
            "next_session": next_session,
        },
    )


@login_required
@permission_required("jcw.view_jcwcontact", raise_exception=True)
@require_GET
def contact(request, pk):
    contact = jcw_contact_get_for(request.user, pk)
    episode = contact.episode
    feedback = list(contact.feedback.select_related("given_by"))
    _consulted(request, contact=contact)
    return render(
        request,
        "jcw/contact.html",
        {
            "contact": contact,
            "episode": episode,
            "activities": activity_names(contact),
            "feedback": [(f, _feedback_answers(f)) for f in feedback],
            "can_add_view": request.user.has_perm("jcw.add_practitioner_view"),
            "can_give_feedback": request.user.has_perm("jcw.add_jcwfeedback")
            and not any(f.given_by_id == request.user.pk for f in feedback),
        },
    )


@login_required
@permission_required("jcw.add_practitioner_view", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_view(request, pk):
    """The practitioner adds their view to a contact; a stale form is refused, not overwritten."""
    contact = jcw_contact_get_for(request.user, pk)
    form = PractitionerViewForm(
        request.POST if request.method == "POST" else None,
        initial={"view": contact.practitioner_view, "version": version_of(contact)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            jcw_contact_practitioner_view_set(
                contact=contact,
                view=form.cleaned_data["view"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except JcwError as error:
            form = _rebound(PractitionerViewForm, request, contact, error)
            if isinstance(error, StaleJcwError):
                saved = contact.practitioner_view or "no view"
                form.add_error(None, f"Saved now: {saved}")
        else:
            messages.success(request, "Your view has been added to the contact")
            return redirect("jcw:contact", pk=contact.pk)
    _consulted(request, contact=contact)
    return render(
        request,
        "jcw/form_page.html",
        {
            "episode": contact.episode,
            "contact": contact,
            "form": form,
            "page_title": "Add your view of the contact",
            "intro": "view",
        },
    )


@login_required
@permission_required("jcw.view_jcwcontact", raise_exception=True)
@require_GET
def contact_ndelius(request, pk):
    """The contact as text ready to paste into nDelius."""
    contact = jcw_contact_get_for(request.user, pk)
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="JCW contact",
            person=contact.episode.person,
            record_id=contact.pk,
            detail="nDelius contact text viewed",
            recipient="nDelius (copied by the user)",
        )
    return render(
        request, "jcw/ndelius.html", {"contact": contact, "text": jcw_contact_text(contact)}
    )


# Feedback -------------------------------------------------------------------------------------


def _feedback_view(request, episode, contact=None):
    back = (
        redirect("jcw:contact", pk=contact.pk)
        if contact
        else redirect("jcw:episode", pk=episode.pk)
    )
    if jcw_feedback_given(episode=episode, contact=contact, user=request.user):
        messages.error(request, "You have already given this feedback. Thank you.")
        return back
    if contact is None and not episode.contacts.exists():
        return _refused(
            request,
            episode,
            "There is nothing to give feedback on yet: no contact has been recorded",
        )
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            jcw_feedback_give(
                episode=episode,
                contact=contact,
                ratings=Ratings(**form.ratings()),
                worked_well=form.cleaned_data["worked_well"],
                did_not_work=form.cleaned_data["did_not_work"],
                by=request.user,
            )
        except JcwError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Feedback sent. The OPD clinician has been told it arrived.")
            return back
    if contact is not None:
        _consulted(request, contact=contact)
    else:
        _consulted(request, episode=episode)
    return render(
        request,
        "jcw/form_page.html",
        {
            "episode": episode,
            "contact": contact,
            "form": form,
            "page_title": "Give feedback on this contact"
            if contact
            else "Give feedback on the joint case work",
            "intro": "feedback",
        },
    )


@login_required
@permission_required("jcw.add_jcwfeedback", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_feedback(request, pk):
    contact = jcw_contact_get_for(request.user, pk)
    return _feedback_view(request, contact.episode, contact)


@login_required
@permission_required("jcw.add_jcwfeedback", raise_exception=True)
@require_http_methods(["GET", "POST"])
def episode_feedback(request, pk):
    return _feedback_view(request, jcw_episode_get_for(request.user, pk))


# Counts ---------------------------------------------------------------------------------------


def _period(request) -> tuple[str, list]:
    period = request.GET.get("period") if request.GET.get("period") in PERIODS else "12"
    return period, months_ending(timezone.localdate(), int(period))


@login_required
@permission_required("jcw.view_jcw_counts", raise_exception=True)
@require_GET
def counts(request):
    """How much joint case work, of which kind, with what result; no one person is shown."""
    period, months = _period(request)
    result = jcw_counts(user=request.user, months=months)
    return render(
        request,
        "jcw/counts.html",
        {
            "counts": result,
            "feedback": jcw_feedback_summary(
                jcw_feedback_counted_for(user=request.user, months=months)
            ),
            "period": period,
            "periods": PERIODS,
            "agreement_scale": AGREEMENT_SCALE,
            "confidence_scale": CONFIDENCE_SCALE,
        },
    )


@login_required
@permission_required("jcw.view_jcw_counts", raise_exception=True)
@require_GET
def counts_csv(request):
    """The counts as CSV, safe to open in a spreadsheet; the export is logged."""
    period, months = _period(request)
    result = jcw_counts(user=request.user, months=months)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="joint-case-work-counts-{months[0]:%Y-%m}-to-{months[-1]:%Y-%m}.csv"'
    )
    with transaction.atomic():
        rows = result.rows()
        team_only = not request.user.has_perm("jcw.view_all_jcw") and not (
            request.user.groups.filter(name=Role.HEAD_OF_SERVICE).exists() and request.user.pdu_id
        )
        if team_only:
            # A clinician's counts are their team's, below PDU level: small counts are hidden.
            rows = [
                (measure, category, SUPPRESSED if isinstance(n, int) and 0 < n < 5 else n)
                for measure, category, n in rows
            ]
        write_csv(response, ["Measure", "Category", "Count"], rows)
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="JCW counts export",
            detail=f"Counts for {result.whose or 'no one'}, last {period} months",
            recipient=request.user.email,
        )
    return response
