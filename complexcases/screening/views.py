from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record_many,
)
from complexcases.core.errors import form_error
from complexcases.core.ndelius import ndelius_copy_page
from complexcases.people.selectors import person_get_for

from .forms import (
    ExtractUploadForm,
    GenerateListForm,
    PathwayOverrideForm,
    ReflectiveConversationForm,
)
from .models import ExtractUpload, MonthlyListEntry, ReflectiveConversation
from .ndelius import reflective_conversation_contact_text
from .rules import CRITERIA
from .selectors import (
    SORTS,
    ListFilters,
    available_months,
    current_list_entry,
    latest_screening,
    monthly_list_entries,
    pdus_visible_to,
    spo_choices_for,
)
from .services import (
    ScreeningError,
    extract_upload_create,
    monthly_list_generate,
    pathway_override_record,
    reflective_conversation_record,
)

PAGE_SIZE = 50
LIST_QUERY_KEY = "monthly-list-query"


def _filters_from(request, months: list[date]) -> ListFilters:
    params = request.GET
    month = months[0] if months else None
    if params.get("month"):
        try:
            month = date.fromisoformat(params["month"] + "-01")
        except ValueError:
            month = None
    min_criteria = params.get("min_criteria", "")
    return ListFilters(
        month=month,
        pdu=params.get("pdu", ""),
        # The name or CRN searched for is kept in the session, never in the URL (see monthly_list).
        query=request.session.get(LIST_QUERY_KEY, ""),
        min_criteria=int(min_criteria)
        if min_criteria.isdecimal() and min_criteria.isascii()
        else None,
        criteria=tuple(
            int(n) for n in params.getlist("criterion") if n in "12345678" and len(n) == 1
        ),
        status=params.get("status", "")
        if params.get("status", "") in MonthlyListEntry.Status.values
        else "",
        conversation=params.get("conversation", "")
        if params.get("conversation") in ("recorded", "not_recorded")
        else "",
        sort=params.get("sort", "name") if params.get("sort") in SORTS else "name",
        descending=params.get("order") == "desc",
    )


@login_required
@permission_required("screening.view_monthlylist", raise_exception=True)
@require_http_methods(["GET", "POST"])
def monthly_list(request):
    """The month's list for the people the user may see: search, filters, sorting, pagination.

    The filter form is POSTed: a name typed into it is kept in the session and the other
    filters go into the URL, so names never reach URLs, browser history or server logs.
    """
    if request.method == "POST":
        request.session[LIST_QUERY_KEY] = request.POST.get("q", "").strip()[:100]
        query = request.POST.copy()
        for key in ("q", "csrfmiddlewaretoken"):
            query.pop(key, None)
        return redirect(f"{reverse('screening:monthly-list')}?{query.urlencode()}")
    if request.GET.get("clear"):
        request.session.pop(LIST_QUERY_KEY, None)
    months = available_months()
    filters = _filters_from(request, months)
    page = None
    if filters.month is not None:
        entries = monthly_list_entries(user=request.user, filters=filters)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        with transaction.atomic():
            access_log_record_many(
                user=request.user,
                action=Action.CONSULTATION,
                record_type="monthly list entry",
                people=[entry.person for entry in page.object_list],
                detail=f"Monthly list {filters.month:%Y-%m}",
            )
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    for key in ("sort", "order"):
        sort_query.pop(key, None)
    return render(
        request,
        "screening/monthly_list.html",
        {
            "filters": filters,
            "months": months,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
            "pdus": pdus_visible_to(request.user).values("code", "name"),
            "criteria": CRITERIA,
            "statuses": MonthlyListEntry.Status.choices,
            "query_string": query.urlencode(),
            "sort_query_string": sort_query.urlencode(),
            "threshold": settings.SCREENING_THRESHOLD,
        },
    )


@login_required
@permission_required("screening.generate_monthly_list", raise_exception=True)
@require_http_methods(["GET", "POST"])
def generate(request):
    """Generate the month's list now (the scheduled job does the same on the 1st)."""
    form = GenerateListForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        month = date.fromisoformat(form.cleaned_data["month"] + "-01")
        try:
            run = monthly_list_generate(month=month)
        except ScreeningError as error:
            form.add_error("month", str(error))
        else:
            if run.created:
                messages.success(
                    request,
                    f"The {month:%B %Y} list was generated for {len(run.created)} PDUs, using the extract as at "
                    f"{run.extract.extract_date:%-d %B %Y}. SPOs and heads of service have been emailed.",
                )
            else:
                messages.info(
                    request, f"The {month:%B %Y} list had already been generated. Nothing changed."
                )
            return redirect(f"{reverse('screening:monthly-list')}?month={month:%Y-%m}")
    return render(request, "screening/generate.html", {"form": form})


@login_required
@permission_required("screening.import_extract", raise_exception=True)
@require_http_methods(["GET", "POST"])
def extract_upload(request):
    """Upload the monthly extract; it is checked and imported in the background."""
    form = (
        ExtractUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else ExtractUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        upload = extract_upload_create(
            uploaded_file=form.cleaned_data["file"], uploaded_by=request.user
        )
        return redirect("screening:extract-upload-status", upload_id=upload.id)
    recent = ExtractUpload.objects.select_related("uploaded_by", "extract")[:10]
    return render(request, "screening/extract_upload.html", {"form": form, "recent": recent})


def _upload_for(request, upload_id) -> ExtractUpload:
    upload = ExtractUpload.objects.select_related("extract").filter(pk=upload_id).first()
    if upload is None:
        raise Http404("No such upload")
    return upload


@login_required
@permission_required("screening.import_extract", raise_exception=True)
@require_GET
def extract_upload_status(request, upload_id):
    """Progress of an import; the page polls the JSON version while it runs."""
    return render(
        request, "screening/extract_upload_status.html", {"upload": _upload_for(request, upload_id)}
    )


@login_required
@permission_required("screening.import_extract", raise_exception=True)
@require_GET
def extract_upload_progress(request, upload_id):
    upload = _upload_for(request, upload_id)
    return JsonResponse(
        {
            "status": upload.status,
            "status_label": upload.get_status_display(),
            "rows_total": upload.rows_total,
            "rows_checked": upload.rows_checked,
            "percent": upload.percent_checked,
            "finished": upload.is_finished,
        }
    )


# A listed person's page links here: the reflective conversation and the pathway override.


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
        except (ScreeningError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, "Reflective conversation saved")
            return redirect("people:person", crn=person.crn)
    access_log_consultation(
        request=request, person=person, record_type="reflective conversation form"
    )
    return render(
        request,
        "screening/reflective_conversation.html",
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
    return ndelius_copy_page(
        request,
        person=person,
        record_type="reflective conversation",
        record_id=conversation.pk,
        text=reflective_conversation_contact_text(conversation),
        heading="Copy into nDelius",
        back_url=reverse("people:person", args=[person.crn]),
        back_label=f"Back to {person.full_name}",
        rows=14,
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
            form_error(form, error)
        else:
            messages.success(request, "Marked for the pathway")
            return redirect("people:person", crn=person.crn)
    screening = latest_screening(person)
    access_log_consultation(request=request, person=person, record_type="pathway override form")
    return render(
        request,
        "screening/mark_for_pathway.html",
        {"person": person, "form": form, "screening": screening},
    )
