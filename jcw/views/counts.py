"""Joint case work pages: the counts and their CSV export."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from complexcases.core.access_log import (
    Action,
    access_log_record,
)
from complexcases.core.export import SUPPRESSED, write_csv
from complexcases.organisation.roles import Role

from ..forms import (
    PERIODS,
)
from ..reference import AGREEMENT_SCALE, CONFIDENCE_SCALE
from ..selectors import (
    jcw_counts,
    jcw_feedback_counted_for,
    jcw_feedback_summary,
    months_ending,
)

# Counts ---------------------------------------------------------------------------------------


def _period(request) -> tuple[str, list]:
    period = request.GET.get("period") if request.GET.get("period") in PERIODS else "12"
    return period, months_ending(timezone.localdate(), int(period))


@login_required
@permission_required("jcw.view_jcw_counts", raise_exception=True)
@require_GET
def counts(request):
    """How much joint case work, of which kind, with what result; no one person is shown."""
    period, months = _period(request)
    result = jcw_counts(user=request.user, months=months)
    return render(
        request,
        "jcw/counts.html",
        {
            "counts": result,
            "feedback": jcw_feedback_summary(
                jcw_feedback_counted_for(user=request.user, months=months)
            ),
            "period": period,
            "periods": PERIODS,
            "agreement_scale": AGREEMENT_SCALE,
            "confidence_scale": CONFIDENCE_SCALE,
        },
    )


@login_required
@permission_required("jcw.view_jcw_counts", raise_exception=True)
@require_GET
def counts_csv(request):
    """The counts as CSV, safe to open in a spreadsheet; the export is logged."""
    period, months = _period(request)
    result = jcw_counts(user=request.user, months=months)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="joint-case-work-counts-{months[0]:%Y-%m}-to-{months[-1]:%Y-%m}.csv"'
    )
    with transaction.atomic():
        rows = result.rows()
        team_only = not request.user.has_perm("jcw.view_all_jcw") and not (
            request.user.groups.filter(name=Role.HEAD_OF_SERVICE).exists() and request.user.pdu_id
        )
        if team_only:
            # A clinician's counts are their team's, below PDU level: small counts are hidden.
            rows = [
                (measure, category, SUPPRESSED if isinstance(n, int) and 0 < n < 5 else n)
                for measure, category, n in rows
            ]
        write_csv(response, ["Measure", "Category", "Count"], rows)
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type="JCW counts export",
            detail=f"Counts for {result.whose or 'no one'}, last {period} months",
            recipient=request.user.email,
        )
    return response
