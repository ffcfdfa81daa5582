"""Joint case work pages: recording a contact, the practitioner's view, nDelius text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.errors import form_error, rebound, refused, version_of
from complexcases.core.ndelius import ndelius_copy_page

from ..forms import (
    ContactForm,
    PractitionerViewForm,
)
from ..ndelius import jcw_contact_text
from ..selectors import (
    activity_names,
    jcw_contact_get_for,
    jcw_episode_get_for,
    jcw_next_session,
)
from ..services import (
    JcwError,
    StaleJcwError,
    jcw_contact_practitioner_view_set,
    jcw_contact_record,
)
from .common import _consulted
from .episodes import _feedback_answers

# Contacts -------------------------------------------------------------------------------------


@login_required
@permission_required("jcw.add_jcwcontact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_record(request, pk):
    """The clinician or the practitioner records a contact."""
    episode = jcw_episode_get_for(request.user, pk)
    if not episode.is_open:
        return refused(request, "This joint case work has ended", "jcw:episode", pk=episode.pk)
    if not episode.has_aim:
        return refused(
            request,
            "Record the aim of the joint case work (the dilemma to solve and the desired "
            "outcome) before the first contact",
            "jcw:episode",
            pk=episode.pk,
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
            form_error(form, error)
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
            form = rebound(PractitionerViewForm, request, contact, error)
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
    return ndelius_copy_page(
        request,
        person=contact.episode.person,
        record_type="JCW contact",
        record_id=contact.pk,
        text=jcw_contact_text(contact),
        heading="Copy the contact into nDelius",
        back_url=reverse("jcw:contact", args=[contact.pk]),
        back_label="Back to the contact",
        kind="joint case work",
    )
