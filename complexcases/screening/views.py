from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import Action, access_log_record_many

from .forms import ExtractUploadForm, GenerateListForm
from .models import ExtractUpload, MonthlyListEntry
from .rules import CRITERIA
from .selectors import (
    SORTS,
    ListFilters,
    available_months,
    monthly_list_entries,
    pdus_visible_to,
)
from .services import ScreeningError, extract_upload_create, monthly_list_generate

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
