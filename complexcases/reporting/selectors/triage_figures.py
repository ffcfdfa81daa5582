"""Reporting reads of triage: requests, days to the meeting and to panel, outcomes, blocker
themes and people marked for the pathway below the threshold."""

from datetime import date

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import TruncMonth

from complexcases.screening.models import PathwayOverride
from complexcases.screening.rules import CRITERIA
from panel.models import PanelBooking
from triage.models import Theme, TriageBlocker, TriageRecord, TriageRequest

from ..periods import Period
from ..scope import Scope
from .aggregates import DaysBetween, Median, with_counts, within

MET = [TriageRequest.Status.HELD, TriageRequest.Status.OUTCOME_RECORDED]


def requests_by_month(*, scope: Scope, period: Period) -> dict[date, dict]:
    """Triage requests per month made, those below the threshold, and the median days to the meeting."""
    met = Q(status__in=MET, meeting__isnull=False)
    rows = (
        TriageRequest.objects.filter(within("requested_at", period))
        .filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))
        .annotate(month=TruncMonth("requested_at", output_field=DateField()))
        .values("month")
        .annotate(
            requests=Count("pk"),
            below=Count("pk", filter=~Q(below_threshold_reason="")),
            triaged=Count("pk", filter=met),
            median=Median(DaysBetween(F("meeting__starts_at"), F("requested_at")), filter=met),
        )
        .order_by("month")
    )
    return {row["month"]: row for row in rows}


def heard_by_month(*, scope: Scope, period: Period) -> dict[date, dict]:
    """Cases heard at panel per month, and the median days from the triage meeting to the panel."""
    triaged = Q(triage_record__request__meeting__isnull=False)
    rows = (
        PanelBooking.objects.filter(
            within("slot__starts_at", period), status=PanelBooking.Status.HEARD
        )
        .filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))
        .annotate(month=TruncMonth("slot__starts_at", output_field=DateField()))
        .values("month")
        .annotate(
            heard=Count("pk"),
            triaged=Count("pk", filter=triaged),
            median=Median(
                DaysBetween(F("slot__starts_at"), F("triage_record__request__meeting__starts_at")),
                filter=triaged,
            ),
        )
        .order_by("month")
    )
    return {row["month"]: row for row in rows}


def triage_outcomes(*, scope: Scope, period: Period) -> dict:
    Outcome, RedirectTo = TriageRecord.Outcome, TriageRecord.RedirectTo
    measures = {
        Outcome.CLOSED_WITH_GUIDANCE.value: Count(
            "pk", filter=Q(outcome=Outcome.CLOSED_WITH_GUIDANCE)
        ),
        Outcome.REFER_TO_PANEL.value: Count("pk", filter=Q(outcome=Outcome.REFER_TO_PANEL)),
    }
    for where in RedirectTo:
        measures[f"redirect_{where.value}"] = Count(
            "pk", filter=Q(outcome=Outcome.REDIRECT, redirect_to=where)
        )
    return (
        TriageRecord.objects.filter(within("recorded_at", period))
        .filter(scope.q(pdu="request__person__pdu", practitioner="request__person__practitioner"))
        .aggregate(**measures)
    )


def blocker_themes(*, scope: Scope, period: Period) -> list[Theme]:
    """Each theme with the triaged cases (records, not blockers) it was a blocker in, and how
    many of those were below the threshold.

    Counted from the blockers' side, with the period and scope in the WHERE clause (so only
    the period's records are joined, and a PDU's through the people index), grouped by theme
    id; the themes themselves are a second, tiny query.
    """
    Tagged = TriageBlocker.themes.through
    record = "triageblocker__record"
    counts = {
        row["theme_id"]: row
        for row in Tagged.objects.filter(within(f"{record}__recorded_at", period))
        .filter(
            scope.q(
                pdu=f"{record}__request__person__pdu",
                practitioner=f"{record}__request__person__practitioner",
            )
        )
        .values("theme_id")
        .annotate(
            cases=Count(f"{record}_id", distinct=True),
            below=Count(
                f"{record}_id",
                distinct=True,
                filter=~Q(**{f"{record}__request__below_threshold_reason": ""}),
            ),
        )
        .order_by()
    }
    return with_counts(Theme.objects.order_by("position", "name"), counts, ("cases", "below"))


def overrides(*, scope: Scope, period: Period) -> dict:
    """People marked for the pathway below the threshold, by how many criteria they met then."""
    measures = {"marked": Count("pk"), "unknown": Count("pk", filter=Q(criteria_met_count=None))}
    for number in range(len(CRITERIA) + 1):
        measures[f"count_{number}"] = Count("pk", filter=Q(criteria_met_count=number))
    return (
        PathwayOverride.objects.filter(within("marked_at", period))
        .filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))
        .aggregate(**measures)
    )
