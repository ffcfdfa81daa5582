"""The data protection officer's view of the section 62 access log."""

from datetime import UTC

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from complexcases.core.export import write_csv

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
        filters = {key: value for key, value in form.cleaned_data.items() if value}
        person = None
        if filters.get("crn"):
            from complexcases.people.models import Person

            person = Person.objects.filter(crn=filters["crn"].upper()).first()
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="access log export",
            person=person,
            # Which filters, not their values: the CRN is in person_crn, emails stay out of the log text.
            detail=f"{count} rows; filtered by {', '.join(sorted(filters)) or 'nothing'}",
            recipient=request.user.email,
        )
    return response


def _subject_person(crn: str):
    from django.http import Http404

    from complexcases.people.models import Person

    person = Person.objects.select_related("pdu", "practitioner").filter(crn=crn.upper()).first()
    if person is None:
        raise Http404("No such person")
    return person


@login_required
@permission_required("core.subject_access", raise_exception=True)
@require_GET
def subject_access(request):
    """Choose the person (by CRN) for a subject access request."""
    crn = request.GET.get("crn", "").strip().upper()
    error = None
    if crn:
        from complexcases.people.models import Person

        if Person.objects.filter(crn=crn).exists():
            from django.shortcuts import redirect
            from django.urls import reverse

            redact = "?redact=1" if request.GET.get("redact") else ""
            return redirect(reverse("subject-access-report", args=[crn]) + redact)
        error = "There is no one with that CRN in the service"
    return render(request, "core/subject_access.html", {"crn": crn, "error": error})


@login_required
@permission_required("core.subject_access", raise_exception=True)
@require_GET
def subject_access_report_view(request, crn, fmt="html"):
    """Everything held about one person, as a printable document or JSON; logged as a disclosure."""
    import json

    from .subject_access import subject_access_report

    person = _subject_person(crn)
    redact = bool(request.GET.get("redact"))
    with transaction.atomic():
        report = subject_access_report(person=person, redact_staff=redact)
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="subject access report",
            person=person,
            detail=f"{fmt.upper()}{', staff names redacted' if redact else ''}",
            recipient=f"Subject access request, produced by {request.user.email}",
        )
    if fmt == "json":
        response = HttpResponse(
            json.dumps(report, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="subject-access-{person.crn}.json"'
        return response
    sections = [(key.replace("_", " ").capitalize(), key, items) for key, items in report.items()]
    return render(
        request,
        "core/subject_access_report.html",
        {"person": person, "sections": sections, "redact": redact},
    )
