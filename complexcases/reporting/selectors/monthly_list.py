"""Reporting reads of the monthly list: who was listed, how many new, which criteria met."""

from datetime import date

from django.db.models import Count, Q

from complexcases.organisation.models import ProbationDeliveryUnit
from complexcases.screening.models import MonthlyListEntry
from complexcases.screening.rules import CRITERIA

from ..periods import Period
from ..scope import Scope

Entry = MonthlyListEntry.Status
LISTED = [Entry.NEW, Entry.LISTED_AGAIN]


def listing_this_month(*, scope: Scope, month: date) -> dict:
    """People listed in the month, new, with a reflective conversation, each criterion met and
    how many criteria: one aggregate over the month's list."""
    measures = {
        "listed": Count("pk"),
        "new": Count("pk", filter=Q(status=Entry.NEW)),
        "conversations": Count("reflective_conversation"),
    }
    for criterion in CRITERIA:
        measures[f"criterion_{criterion.number}"] = Count(
            "pk", filter=Q(screening__criteria_met__contains=[criterion.number])
        )
    for number in range(len(CRITERIA) + 1):
        measures[f"count_{number}"] = Count("pk", filter=Q(screening__criteria_met_count=number))
    return (
        MonthlyListEntry.objects.filter(monthly_list__month=month, status__in=LISTED)
        .filter(scope.q(pdu="monthly_list__pdu", practitioner="person__practitioner"))
        .aggregate(**measures)
    )


def listed_by_month_and_pdu(*, scope: Scope, period: Period) -> list[dict]:
    """People listed (and new) per month per PDU: one grouped query, and one for the PDUs' names.

    Grouped by the list's own columns (month, PDU id) so PostgreSQL aggregates the entries
    before anything else is joined; the names of the (at most 110) PDUs come after.
    """
    rows = list(
        MonthlyListEntry.objects.filter(
            monthly_list__month__gte=period.start,
            monthly_list__month__lt=period.end,
            status__in=LISTED,
        )
        .filter(scope.q(pdu="monthly_list__pdu", practitioner="person__practitioner"))
        .values("monthly_list__month", "monthly_list__pdu_id")
        .annotate(listed=Count("pk"), new=Count("pk", filter=Q(status=Entry.NEW)))
        .order_by()
    )
    names = dict(
        ProbationDeliveryUnit.objects.filter(
            pk__in={row["monthly_list__pdu_id"] for row in rows}
        ).values_list("pk", "name")
    )
    for row in rows:
        row["monthly_list__pdu__name"] = names[row.pop("monthly_list__pdu_id")]
    rows.sort(key=lambda row: (row["monthly_list__month"], row["monthly_list__pdu__name"]))
    return rows
