"""The dashboard, the monthly report, their CSV downloads, and the learning log."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record,
    access_log_record_many,
)
from complexcases.core.errors import form_error
from complexcases.organisation.models import Region
from panel.models import PanelBooking
from panel.selectors import panel_booking_get_for
from triage.models import Theme

from .exports import figures_csv
from .forms import DashboardFilterForm, LearningEntryForm, LearningSearchForm, MonthlyReportForm
from .periods import PERIODS, Period, previous_month
from .scope import NONE, PDU, Scope, reporting_scope_for, scope_choose
from .selectors import chaired_by, dashboard_figures, heard_cases_for_learning, learning_entries
from .services import LearningError, learning_entry_create

# The dashboard -------------------------------------------------------------------------------


def _dashboard_filters(request) -> tuple[DashboardFilterForm, Scope, Period]:
    """The scope narrowed to the chosen region or PDU (a 404 outside it) and the chosen period."""
    scope = reporting_scope_for(request.user)
    form = DashboardFilterForm(request.GET or None, scope=scope)
    # Out of scope is a 404 before anything else, whatever else the query string holds.
    scope_choose(
        scope,
        region_code=request.GET.get("region", "")[:20],
        pdu_code=request.GET.get("pdu", "")[:20],
    )
    if request.GET and not form.is_valid() and "pdu" in form.errors:
        scope.pdu = None  # a PDU not in the region chosen: show the region, with the error
    return form, scope, form.chosen_period()


def _query(scope: Scope, period: Period) -> str:
    params = scope.filter_params()
    params["period"] = period.key
    if period.key == "custom":
        params.update(
            from_month=period.start.month,
            from_year=period.start.year,
            to_month=period.last_month.month,
            to_year=period.last_month.year,
        )
    return urlencode(params)


@login_required
@permission_required("reporting.view_dashboard", raise_exception=True)
@require_GET
def dashboard(request):
    """The pathway's numbers for the user's team, PDU or region; no one person is shown."""
    form, scope, period = _dashboard_filters(request)
    board = dashboard_figures(scope=scope, period=period)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "board": board,
            "scope": scope,
            "period": period,
            "periods": PERIODS,
            "query": _query(scope, period),
            "selected_period": (
                request.GET.get("period") if request.GET.get("period") in PERIODS else period.key
            ),
            "errors": [
                ("period-this-month" if name in ("period", "__all__") else name, error)
                for name, errors in form.errors.items()
                for error in errors
            ],
            "no_scope": scope.level == NONE,
            "can_see_report": request.user.has_perm("reporting.view_monthly_report"),
        },
    )


def _csv_response(request, *, scope: Scope, figures, filename: str, what: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    with transaction.atomic():
        figures_csv(response, figures=figures, scope=scope)
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="reporting figures export",
            detail=f"{what} for {scope.area}",
            recipient=request.user.email,
        )
    return response


@login_required
@permission_required("reporting.view_dashboard", raise_exception=True)
@require_GET
def dashboard_csv(request):
    """One figure (?figure=slug), or every figure, as CSV; the download is logged."""
    _form, scope, period = _dashboard_filters(request)
    board = dashboard_figures(scope=scope, period=period)
    slug = request.GET.get("figure", "")
    if slug:
        figure = board.figure(slug)
        if figure is None:
            raise Http404("No such figure")
        figures, name, what = [figure], slug, f"{figure.title}, {period.label}"
    else:
        figures, name, what = board.figures, "all-figures", f"All figures, {period.label}"
    return _csv_response(
        request,
        scope=scope,
        figures=figures,
        filename=f"complex-cases-{name}-{period.slug}.csv",
        what=what,
    )


# The monthly report --------------------------------------------------------------------------


def _report_choice(request) -> tuple[Scope, Region, date, list[date]]:
    scope = reporting_scope_for(request.user)
    form = MonthlyReportForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    if not scope.regions:
        raise Http404("No region to report on")
    today = timezone.localdate()
    latest = previous_month(today.replace(day=1))
    months = [latest]
    for _ in range(23):
        months.append(previous_month(months[-1]))
    month = latest
    if data.get("month"):
        year, number = (int(part) for part in data["month"].split("-"))
        month = date(year, number, 1)
        if month > today.replace(day=1):
            raise Http404("No report for a month still to come")
        if month not in months:
            months.append(month)
    home = next(
        (r for r in scope.regions if request.user.pdu and r.pk == request.user.pdu.region_id), None
    )
    region_code = data.get("region") or (home or scope.regions[0]).code
    scope_choose(scope, region_code=region_code)
    return scope, scope.region, month, months


@login_required
@permission_required("reporting.view_monthly_report", raise_exception=True)
@require_GET
def monthly_report(request):
    """The month's figures for a region, with the 12 months before it, ready to print."""
    scope, region, month, months = _report_choice(request)
    board = dashboard_figures(
        scope=scope,
        period=Period.ending(month, 1, key="month"),
        trend_period=Period.ending(month, 12),
    )
    return render(
        request,
        "reporting/monthly_report.html",
        {
            "board": board,
            "scope": scope,
            "region": region,
            "month": month,
            "months": months,
            "own_pdu_only": scope.level == PDU,
            "query": urlencode({"region": region.code, "month": f"{month:%Y-%m}"}),
        },
    )


@login_required
@permission_required("reporting.view_monthly_report", raise_exception=True)
@require_GET
def monthly_report_csv(request):
    scope, region, month, _months = _report_choice(request)
    board = dashboard_figures(
        scope=scope,
        period=Period.ending(month, 1, key="month"),
        trend_period=Period.ending(month, 12),
    )
    return _csv_response(
        request,
        scope=scope,
        figures=board.figures,
        filename=f"complex-cases-monthly-report-{region.code}-{month:%Y-%m}.csv",
        what=f"Monthly report, {month:%B %Y}",
    )


# The learning log ----------------------------------------------------------------------------


@login_required
@permission_required("reporting.view_learningentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def learning_log(request):
    """Every member of staff can browse the log by theme and region, and search it (POSTed)."""
    themes = list(Theme.objects.all())
    regions = list(Region.objects.order_by("name"))
    theme = next((t for t in themes if str(t.pk) == request.GET.get("theme", "")), None)
    region = next((r for r in regions if r.code == request.GET.get("region", "")), None)
    search = LearningSearchForm(request.POST if request.method == "POST" else None)
    query = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    entries = learning_entries(
        theme_id=theme.pk if theme else None,
        region_id=region.pk if region else None,
        query=query,
    )
    if query:
        page, results = None, list(entries[:50])
    else:
        page = Paginator(entries, 20).get_page(request.GET.get("page"))
        results = list(page)
    filters = {}
    if theme:
        filters["theme"] = theme.pk
    if region:
        filters["region"] = region.code
    return render(
        request,
        "reporting/learning_log.html",
        {
            "search": search,
            "query": query,
            "entries": results,
            "page": page,
            "themes": [t for t in themes if t.disabled_on is None or t == theme],
            "regions": regions,
            "theme": theme,
            "region": region,
            "filters": urlencode(filters),
            "can_add": request.user.has_perm("reporting.add_learningentry"),
        },
    )


@login_required
@permission_required("reporting.add_learningentry", raise_exception=True)
@require_GET
def learning_choose(request):
    """Cases heard at panel in the last six months, to record learning from."""
    cases = list(heard_cases_for_learning(user=request.user))
    with transaction.atomic():
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="panel case",
            people=[case.person for case in cases],
        )
    return render(request, "reporting/learning_choose.html", {"cases": cases})


@login_required
@permission_required("reporting.add_learningentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def learning_add(request, pk):
    """Record what a heard case taught the service, anonymised, for everyone to read."""
    booking = panel_booking_get_for(request.user, pk)
    if (
        not request.user.has_perm("panel.manage_panel")
        and not chaired_by(request.user).filter(booking=booking).exists()
    ):
        messages.error(
            request, "Only the case administrator or the panel's chair can record learning"
        )
        return redirect("reporting:learning-log")
    if booking.status != PanelBooking.Status.HEARD:
        messages.error(
            request, "You can only record learning from a case that has been heard at panel"
        )
        return redirect("reporting:learning-choose")
    form = LearningEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            learning_entry_create(
                booking=booking,
                blocker=form.cleaned_data["blocker"],
                what_unblocked=form.cleaned_data["what_unblocked"],
                helped_by=form.cleaned_data["helped_by"],
                themes=form.cleaned_data["themes"],
                by=request.user,
            )
        except LearningError as error:
            messages.error(request, str(error))
            return redirect("reporting:learning-choose")
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, "Learning added to the log")
            return redirect("reporting:learning-log")
    access_log_consultation(
        request=request, person=booking.person, record_type="panel case", record_id=booking.pk
    )
    return render(
        request,
        "reporting/learning_add.html",
        {
            "form": form,
            "booking": booking,
            "person": booking.person,
            "back": reverse("reporting:learning-choose"),
        },
    )
