"""The data protection officer's view of the section 62 access log."""

from datetime import UTC

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from complexcases.screening.export import write_csv

from .access_log import Action, access_log_record
from .forms import AccessLogSearchForm
from .selectors import access_log_search

EXPORT_HEADER = [
    "at_utc",
    "user",
    "person_crn",
    "record_type",
    "record_id",
    "action",
    "detail",
    "recipient",
    "request_id",
]


def _search(request):
    form = AccessLogSearchForm(request.GET or None)
    rows = None
    if form.is_bound and form.is_valid():
        rows = access_log_search(**form.cleaned_data)
    return form, rows


@login_required
@permission_required("core.view_accesslogentry", raise_exception=True)
@require_GET
def access_log(request):
    """Search by person (CRN), by user and by date."""
    form, rows = _search(request)
    page = Paginator(rows, 100).get_page(request.GET.get("page")) if rows is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/access_log.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
            "query_string": query.urlencode(),
        },
    )


@login_required
@permission_required("core.export_access_log", raise_exception=True)
@require_GET
def access_log_export(request):
    """The search results as CSV; the export is itself logged as a disclosure to the officer."""
    form, rows = _search(request)
    if rows is None:
        return access_log(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="access-log-{timezone.now():%Y%m%d-%H%M%S}.csv"'
    )
    with transaction.atomic():
        count = write_csv(
            response,
            EXPORT_HEADER,
            (
                [
                    entry.at.astimezone(UTC).isoformat(),
                    entry.user.email if entry.user else "",
                    entry.person_crn,
                    entry.record_type,
                    entry.record_id,
                    entry.action,
                    entry.detail,
                    entry.recipient,
                    entry.request_id,
                ]
                for entry in rows.iterator(chunk_size=2000)
            ),
        )
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="access log export",
            detail=f"{count} rows; filters: {form.cleaned_data}"[:200],
            recipient=request.user.email,
        )
    return response
