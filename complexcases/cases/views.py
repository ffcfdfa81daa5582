"""The case page: where one person's case stands, what happens next, and every record of it.

Like Manage People on Probation's case overview: a header on every page of the case, a sub
navigation (Overview, then a page for each workflow that has records on the case, then
History), and a timeline whose entries link to their records.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complexcases.core.access_log import access_log_consultation
from complexcases.core.history import record_changes
from complexcases.people.selectors import person_timeline
from complexcases.screening.selectors import latest_screening

from .parts import next_step_for, sections_for
from .selectors import case_get_for, cases_for_person

OVERVIEW_HISTORY = 5  # the latest entries on the overview; the History page has them all


@login_required
@permission_required("cases.view_case_page", raise_exception=True)
@require_GET
def case_detail(request, reference, part="overview"):
    case = case_get_for(request.user, reference)
    sections = sections_for(case, request.user)
    if part not in ("overview", "history", *(s.slug for s in sections)):
        raise Http404("No such part of this case")
    access_log_consultation(
        request=request, person=case.person, record_type="case", record_id=case.pk
    )
    timeline = [
        event
        for event in person_timeline(case.person, user=request.user)
        if event.case_id == case.pk
    ]
    title = {"overview": "Overview", "history": "History"} | {s.slug: s.title for s in sections}
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "person": case.person,
            "part": part,
            "part_title": title[part],
            "screening": latest_screening(case.person),
            "next_step": next_step_for(case, request.user),
            "sections": sections,
            "section": next((s for s in sections if s.slug == part), None),
            "timeline": timeline if part == "history" else timeline[:OVERVIEW_HISTORY],
            "more_history": part == "overview" and len(timeline) > OVERVIEW_HISTORY,
            "other_cases": [c for c in cases_for_person(case.person) if c.pk != case.pk],
            # Who moved the case, and when: for the Complex Cases team, as on the person page.
            "changes": record_changes(case)
            if part == "history" and request.user.has_perm("people.view_all_people")
            else [],
        },
    )
