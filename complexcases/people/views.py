from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record,
    access_log_record_many,
)
from complexcases.core.history import record_changes
from complexcases.screening.forms import PathwayOverrideForm, ReflectiveConversationForm
from complexcases.screening.models import MonthlyListEntry, ReflectiveConversation
from complexcases.screening.rules import ROSH_LABELS
from complexcases.screening.selectors import (
    criteria_explained,
    current_entry_of,
    current_list_entry,
    latest_screening,
    months_listed_of,
    people_search,
    person_get_for,
    person_list_entries,
    person_overrides,
    spo_choices_for,
)
from complexcases.screening.services import (
    ScreeningError,
    pathway_override_record,
    reflective_conversation_record,
)
from jcw.selectors import jcw_person_summary
from triage.selectors import open_triage_request_for, triage_requests_for_person

from .forms import PomForm
from .ndelius import reflective_conversation_contact_text
from .selectors import person_timeline
from .services import StaleEditError, person_pom_update, person_version


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
    """Why a person is (or is not) listed: criteria with evidence, history, months listed."""
    person = person_get_for(request.user, crn)
    screening = latest_screening(person)
    # Each read once, for every section that shows it (a constant number of queries).
    entries = person_list_entries(person)
    entry = current_entry_of(entries)
    overrides = person_overrides(person)
    triage_requests = triage_requests_for_person(request.user, person)
    with transaction.atomic():
        access_log_record(
            user=request.user, action=Action.CONSULTATION, record_type="person", person=person
        )
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "screening": screening,
            "rosh_label": ROSH_LABELS.get(screening.rosh_level if screening else "", "unknown"),
            "criteria": criteria_explained(screening),
            "timeline": person_timeline(
                person,
                user=request.user,
                entries=entries,
                overrides=overrides,
                triage_requests=triage_requests,
            ),
            "months_listed": months_listed_of(entries),
            "entry": entry,
            "conversation": getattr(entry, "reflective_conversation", None) if entry else None,
            "overrides": overrides,
            "open_triage": open_triage_request_for(request.user, person, requests=triage_requests),
            "jcw": jcw_person_summary(user=request.user, person=person),
            # Record history is for the Complex Cases team (issue 9).
            "changes": record_changes(person)
            if request.user.has_perm("people.view_all_people")
            else [],
        },
    )


@login_required
@permission_required("screening.add_reflectiveconversation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reflective_conversation(request, crn):
    """Record the reflective conversation for this month's listed case."""
    person = person_get_for(request.user, crn)
    entry = current_list_entry(person)
    if entry is None or entry.status == MonthlyListEntry.Status.NO_LONGER_LISTED:
        messages.error(
            request,
            "This person is not on this month's list, so no reflective conversation is needed",
        )
        return redirect("people:person", crn=person.crn)
    if ReflectiveConversation.objects.filter(entry=entry).exists():
        messages.error(
            request, "A reflective conversation has already been recorded for this case this month"
        )
        return redirect("people:person", crn=person.crn)
    spos = spo_choices_for(request.user)
    form = ReflectiveConversationForm(
        request.POST if request.method == "POST" else None,
        spo_queryset=spos,
        initial={"spo": request.user.line_manager_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reflective_conversation_record(
                entry=entry,
                held_on=form.cleaned_data["held_on"],
                spo=form.cleaned_data["spo"],
                notes=form.cleaned_data["notes"],
                outcome=form.cleaned_data["outcome"],
                recorded_by=request.user,
            )
        except ScreeningError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, "Reflective conversation saved")
            return redirect("people:person", crn=person.crn)
    access_log_consultation(
        request=request, person=person, record_type="reflective conversation form"
    )
    return render(
        request,
        "people/reflective_conversation.html",
        {"person": person, "form": form, "entry": entry},
    )


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_GET
def reflective_conversation_ndelius(request, crn, conversation_id):
    """The conversation as text ready to paste into nDelius as a sensitive contact."""
    person = person_get_for(request.user, crn)
    conversation = (
        ReflectiveConversation.objects.select_related("spo", "recorded_by", "entry__monthly_list")
        .filter(person=person, pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation")
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="reflective conversation",
            person=person,
            record_id=conversation.pk,
            detail="nDelius contact text viewed",
            recipient="nDelius (copied by the user)",
        )
    return render(
        request,
        "people/ndelius_text.html",
        {
            "person": person,
            "conversation": conversation,
            "text": reflective_conversation_contact_text(conversation),
        },
    )


@login_required
@permission_required("screening.add_pathwayoverride", raise_exception=True)
@require_http_methods(["GET", "POST"])
def mark_for_pathway(request, crn):
    """Mark a person below the threshold for the pathway, with the reason."""
    person = person_get_for(request.user, crn)
    form = PathwayOverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            pathway_override_record(
                person=person, reason=form.cleaned_data["reason"], marked_by=request.user
            )
        except ScreeningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Marked for the pathway")
            return redirect("people:person", crn=person.crn)
    screening = latest_screening(person)
    access_log_consultation(request=request, person=person, record_type="pathway override form")
    return render(
        request,
        "people/mark_for_pathway.html",
        {"person": person, "form": form, "screening": screening},
    )


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
