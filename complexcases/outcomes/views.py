"""Outcomes after the panel, what makes a complex case, and the threshold what-if; their CSVs.

For programme managers and heads of service, scoped as the dashboard is (ADR 0016). Each page
view is logged as a consultation and each download as a disclosure, to the user, of figures
about no one person (ADR 0054).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.export import write_csv
from complexcases.reporting.scope import Scope, reporting_scope_for, scope_choose

from .forms import BY, AreaForm, BreakdownForm, ThresholdForm
from .measures import HORIZONS, MEASURES, TRAJECTORY
from .selectors import (
    after_panel_page,
    area_of,
    breakdown_table,
    criteria_page,
    horizon_label,
    threshold_page,
)

CSV_HEADER = ["Figure", "Area", "Figures as at", "Category", "Measure", "Value"]
PERMISSION = "outcomes.view_outcomes"


def _scope(request) -> tuple[Scope, AreaForm]:
    """The user's scope narrowed to the region or PDU chosen (a 404 outside it)."""
    scope = reporting_scope_for(request.user)
    form = AreaForm(request.GET or None, scope=scope)
    scope_choose(
        scope,
        region_code=request.GET.get("region", "")[:20],
        pdu_code=request.GET.get("pdu", "")[:20],
    )
    if form.is_bound and not form.is_valid() and "pdu" in form.errors:
        scope.pdu = None  # a PDU outside the region chosen: show the region, with the error
    return scope, form


def _log(request, *, action: str, what: str, scope: Scope) -> None:
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=action,
            record_type="outcomes figures",
            detail=f"{what} for {scope.area}",
            recipient=request.user.email if action == Action.DISCLOSURE else "",
        )


def _context(request, scope: Scope, form: AreaForm, *, title: str, current: str) -> dict:
    return {
        "form": form,
        "scope": scope,
        "title": title,
        "current": current,
        "no_scope": area_of(scope) is None,
        "query": urlencode(scope.filter_params()),
        "errors": [(name, error) for name, errors in form.errors.items() for error in errors],
    }


def _csv(request, *, scope: Scope, refresh, tables, filename: str, what: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    as_at = f"{refresh.finished_at:%Y-%m-%d %H:%M}" if refresh else ""
    write_csv(
        response,
        CSV_HEADER,
        (
            (table.title, scope.area, as_at, category, measure, value)
            for table in tables
            for category, measure, value in table.csv_rows()
        ),
    )
    _log(request, action=Action.DISCLOSURE, what=what, scope=scope)
    return response


def _after_panel(request):
    scope, form = _scope(request)
    breakdown = BreakdownForm(request.GET or None)
    horizon, measure = breakdown.chosen()
    page = after_panel_page(scope=scope)
    choice = {"scope": scope, "refresh": page.refresh, "horizon": horizon, "measure": measure}
    by_theme = breakdown_table(by="theme", **choice)
    by_region = breakdown_table(by="region", **choice)
    return scope, form, page, horizon, measure, [t for t in (by_theme, by_region) if t]


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def after_panel(request):
    """Each heard case's later extracts beside matched comparison people's; follow-up and actions."""
    scope, form, page, horizon, measure, breakdowns = _after_panel(request)
    _log(request, action=Action.CONSULTATION, what="Outcomes after the panel", scope=scope)
    context = _context(
        request, scope, form, title="Outcomes after the panel", current="after-panel"
    )
    params = {**scope.filter_params(), "horizon": horizon, "measure": measure}
    return render(
        request,
        "outcomes/after_panel.html",
        {
            **context,
            "page": page,
            "breakdowns": breakdowns,
            "horizon": horizon,
            "measure": measure,
            "horizons": [(h, horizon_label(h)) for h in HORIZONS],
            "measures": MEASURES,
            "trajectory": TRAJECTORY,
            "by": BY,
            "download_query": urlencode(params),
        },
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def after_panel_csv(request):
    scope, _form, page, _horizon, _measure, breakdowns = _after_panel(request)
    return _csv(
        request,
        scope=scope,
        refresh=page.refresh,
        tables=page.tables + breakdowns,
        filename="complex-cases-outcomes-after-the-panel.csv",
        what="Outcomes after the panel",
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def criteria(request):
    """Which criteria and combinations listed people meet, and which go on to triage and panel."""
    scope, form = _scope(request)
    page = criteria_page(scope=scope)
    _log(request, action=Action.CONSULTATION, what="What makes a complex case", scope=scope)
    context = _context(request, scope, form, title="What makes a complex case", current="criteria")
    return render(request, "outcomes/criteria.html", {**context, "page": page})


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def criteria_csv(request):
    scope, _form = _scope(request)
    page = criteria_page(scope=scope)
    return _csv(
        request,
        scope=scope,
        refresh=page.refresh,
        tables=page.tables,
        filename="complex-cases-what-makes-a-complex-case.csv",
        what="What makes a complex case",
    )


def _threshold(request):
    scope, form = _scope(request)
    choice = ThresholdForm(request.GET or None)
    return scope, form, choice, threshold_page(scope=scope, threshold=choice.chosen())


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def threshold(request):
    """How many people each PDU would list at another threshold; nothing is changed."""
    scope, form, choice, page = _threshold(request)
    _log(request, action=Action.CONSULTATION, what="Threshold what-if", scope=scope)
    context = _context(request, scope, form, title="Threshold what-if", current="threshold")
    return render(
        request,
        "outcomes/threshold.html",
        {
            **context,
            "page": page,
            "choice": choice,
            "download_query": urlencode({**scope.filter_params(), "threshold": page.threshold}),
        },
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def threshold_csv(request):
    scope, _form, _choice, page = _threshold(request)
    return _csv(
        request,
        scope=scope,
        refresh=page.refresh,
        tables=page.tables,
        filename=f"complex-cases-threshold-what-if-{page.threshold}.csv",
        what=f"Threshold what-if at {page.threshold}",
    )
