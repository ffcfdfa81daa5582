"""Joint case work pages: practitioner feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from complexcases.core.errors import form_error, refused

from ..forms import (
    FeedbackForm,
)
from ..selectors import (
    jcw_contact_get_for,
    jcw_episode_get_for,
    jcw_feedback_given,
)
from ..services import (
    JcwError,
    Ratings,
    jcw_feedback_give,
)
from .common import _consulted

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
        return refused(
            request,
            "There is nothing to give feedback on yet: no contact has been recorded",
            "jcw:episode",
            pk=episode.pk,
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
            form_error(form, error)
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
