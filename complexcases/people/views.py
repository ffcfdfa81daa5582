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
from complexcases.core.errors import StaleEditError
from complexcases.core.history import record_changes
from complexcases.core.registry import person_page_contributions

from .forms import PomForm
from .selectors import people_search, person_get_for, person_timeline
from .services import person_pom_update, person_version


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def search(request):
    """Find a person the user may see by CRN or name. POST, so names and CRNs stay out of URLs and logs."""
    query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    results = list(people_search(user=request.user, query=query)) if query else []
    if len(results) == 1 and query.upper() == results[0].crn:
        return redirect("people:person", crn=results[0].crn)
    with transaction.atomic():
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="search result",
            people=results,
        )
    return render(request, "people/search.html", {"query": query, "results": results})


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_GET
def person(request, crn):
    """Why a person is (or is not) listed: criteria with evidence, history, months listed.

    Each workflow adds its sections through ``core.registry.register_person_page``; what
    they read is shared with the timeline (a constant number of queries).
    """
    person = person_get_for(request.user, crn)
    reads: dict = {}
    context = {"person": person}
    for contribution in person_page_contributions():
        context.update(contribution(request, person, reads))
    with transaction.atomic():
        access_log_record(
            user=request.user, action=Action.CONSULTATION, record_type="person", person=person
        )
    context["timeline"] = person_timeline(person, user=request.user, reads=reads)
    # Record history is for the Complex Cases team (issue 9).
    context["changes"] = (
        record_changes(person) if request.user.has_perm("people.view_all_people") else []
    )
    return render(request, "people/person.html", context)


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def pom_details(request, crn):
    """Record the POM; a stale form (someone saved in between) is refused, not overwritten."""
    person = person_get_for(request.user, crn)
    if request.method == "POST":
        form = PomForm(request.POST)
        if form.is_valid():
            try:
                person_pom_update(
                    person=person,
                    pom_name=form.cleaned_data["pom_name"],
                    pom_contact=form.cleaned_data["pom_contact"],
                    version=form.cleaned_data["version"],
                    changed_by=request.user,
                )
            except StaleEditError as error:
                # Keep what they typed; show what is saved now; saving again is a deliberate overwrite.
                person.refresh_from_db()
                form = PomForm({**request.POST.dict(), "version": person_version(person)})
                form.is_valid()
                saved = (
                    ", ".join(filter(None, [person.pom_name, person.pom_contact]))
                    or "no POM details"
                )
                form.add_error(
                    None,
                    f"{error} Saved now: {saved}. Save again to replace it with what you typed.",
                )
            else:
                messages.success(request, "POM details saved")
                return redirect("people:person", crn=person.crn)
    else:
        form = PomForm(
            initial={
                "pom_name": person.pom_name,
                "pom_contact": person.pom_contact,
                "version": person_version(person),
            }
        )
    access_log_consultation(request=request, person=person, record_type="POM details form")
    return render(request, "people/pom_details.html", {"person": person, "form": form})
