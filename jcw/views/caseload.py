"""Joint case work pages: the caseload and a person's episodes."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_record_many,
)

from ..forms import (
    FindPersonForm,
)
from ..selectors import (
    CASELOAD_TABS,
    jcw_caseload,
    jcw_caseload_counts,
    jcw_episodes_timeline,
    jcw_people_openable_by,
    jcw_person_episodes,
    jcw_person_get_for,
)
from .common import _consulted

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
