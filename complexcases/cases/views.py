"""The case page: where one person's case stands, what happens next, and every record of it."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complexcases.core.access_log import access_log_consultation
from complexcases.people.selectors import person_timeline
from complexcases.screening.selectors import latest_screening

from .parts import next_step_for, sections_for
from .selectors import case_get_for, cases_for_person


@login_required
@permission_required("cases.view_case_page", raise_exception=True)
@require_GET
def case_detail(request, reference):
    case = case_get_for(request.user, reference)
    access_log_consultation(
        request=request, person=case.person, record_type="case", record_id=case.pk
    )
    timeline = [
        event
        for event in person_timeline(case.person, user=request.user)
        if event.case_id == case.pk
    ]
    others = [c for c in cases_for_person(case.person) if c.pk != case.pk]
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "person": case.person,
            "screening": latest_screening(case.person),
            "next_step": next_step_for(case, request.user),
            "sections": sections_for(case, request.user),
            "timeline": timeline,
            "other_cases": others,
        },
    )
