"""Triage pages: a practitioner requests triage, checks the answers, sees the confirmation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.cases.models import Case
from complexcases.cases.selectors import open_case_for
from complexcases.cases.services import CaseAlreadyOpen
from complexcases.people.selectors import person_get_for
from complexcases.screening.selectors import latest_screening

from ..forms import (
    TriageRequestForm,
)
from ..models import TriageRequest
from ..selectors import (
    triage_request_get_for,
)
from ..services import (
    TriageError,
    triage_request_create,
)
from .common import SESSION_KEY, _listed_now, _requester_role_for
from .queue import _consulted

# Requesting -----------------------------------------------------------------------------------


@login_required
@permission_required("triage.add_triagerequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def request_triage(request, crn):
    """Three short questions; the answers wait in the session until they are checked."""
    person = person_get_for(request.user, crn)
    open_case = open_case_for(person)
    if open_case is not None and open_case.status != Case.Status.IN_FOLLOW_UP:
        return _case_already_open(request, open_case)
    listed = _listed_now(person)
    role = _requester_role_for(request.user)
    for_team = role == TriageRequest.RequesterRole.TEAM
    drafts = request.session.get(SESSION_KEY, {})
    if request.method == "POST":
        form = TriageRequestForm(request.POST, listed=listed, for_team=for_team)
        if form.is_valid():
            drafts[person.crn] = form.cleaned_data | ({"requester_role": role} if for_team else {})
            request.session[SESSION_KEY] = drafts
            return redirect("triage:check", crn=person.crn)
    else:
        initial = drafts.get(person.crn) or {"requester_role": role}
        form = TriageRequestForm(initial=initial, listed=listed, for_team=for_team)
    _consulted(request, person=person)
    return render(
        request,
        "triage/request_form.html",
        {
            "person": person,
            "form": form,
            "listed": listed,
            "for_team": for_team,
            "screening": latest_screening(person),
        },
    )


def _role_changed(user, answers) -> bool:
    """A draft written as the team is not sent as a practitioner's, nor the other way round."""
    team = TriageRequest.RequesterRole.TEAM
    return (answers.get("requester_role") == team) != (_requester_role_for(user) == team)


def _case_already_open(request, case):
    """One open case per person: say where the open case stands and link to it."""
    _consulted(request, person=case.person)
    return render(request, "triage/case_already_open.html", {"case": case})


@login_required
@permission_required("triage.add_triagerequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_answers(request, crn):
    person = person_get_for(request.user, crn)
    answers = request.session.get(SESSION_KEY, {}).get(person.crn)
    if answers is None or _role_changed(request.user, answers):
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
        except CaseAlreadyOpen as error:
            return _case_already_open(request, error.case)
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
