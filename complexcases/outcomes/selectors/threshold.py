"""The threshold what-if: how many people each PDU would list at another threshold, or with one
criterion left out, from the latest screenings. Reads the summary; changes nothing."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from complexcases.organisation.models import ProbationDeliveryUnit
from complexcases.reporting.scope import Scope
from complexcases.screening.rules import CRITERIA

from .. import tables
from ..models import OutcomesRefresh, ThresholdCount
from ..tables import Table, TableRow
from .areas import latest_refresh, pdus_of

THRESHOLDS = (4, 5, 6, 7, 8)


def listed_if(*, scope: Scope, threshold: int) -> dict[int | None, dict[str, int]] | None:
    """Per PDU in the area (and None: all of them): people at each threshold, and at `threshold`
    with each criterion left out. From the summary the refresh keeps; no list changes."""
    area = pdus_of(scope)
    if area is None:
        return None
    rows = ThresholdCount.objects.filter(pdu__disabled_on__isnull=True, **area).filter(
        Q(left_out=0) | Q(threshold=threshold)
    )
    found: dict[int | None, dict[str, int]] = defaultdict(dict)
    for pdu_id, at, left_out, people in rows.values_list(
        "pdu_id", "threshold", "left_out", "people"
    ):
        if left_out == 0:
            found[pdu_id][f"at_{at}"] = people
        if at == threshold and left_out:
            found[pdu_id][f"without_{left_out}"] = people
    keys = [f"at_{t}" for t in THRESHOLDS] + [f"without_{c.number}" for c in CRITERIA]
    found[None] = {key: sum(row.get(key, 0) for row in found.values()) for key in keys}
    return dict(found)


@dataclass
class ThresholdPage:
    refresh: OutcomesRefresh | None
    threshold: int = 6
    tables: list[Table] = field(default_factory=list)


def threshold_page(*, scope: Scope, threshold: int | None = None) -> ThresholdPage:
    refresh = latest_refresh()
    now = refresh.threshold if refresh else 6
    chosen = threshold or now
    page = ThresholdPage(refresh=refresh, threshold=chosen)
    found = listed_if(scope=scope, threshold=chosen) if refresh else None
    if found is None:
        return page
    names = dict(
        ProbationDeliveryUnit.objects.filter(pk__in=[pk for pk in found if pk]).values_list(
            "pk", "name"
        )
    )
    order = sorted((pk for pk in found if pk), key=lambda pk: names[pk])
    if len(order) > 1:
        order.append(None)
    label = {None: "All PDUs shown", **names}
    page.tables = [
        Table(
            slug="thresholds",
            title="People who would be listed at each threshold",
            description=f"Everyone in the latest extract, by how many criteria they meet. The "
            f"threshold is {now} now; the lists are made at {now}.",
            headers=["PDU", *[f"{t} or more{' (now)' if t == now else ''}" for t in THRESHOLDS]],
            rows=[
                TableRow(
                    label[pk], tuple(tables.count(found[pk].get(f"at_{t}")) for t in THRESHOLDS)
                )
                for pk in order
            ],
        ),
        Table(
            slug="leave-one-out",
            title=f"People who would be listed at {chosen} or more with one criterion left out",
            description="Each column leaves one criterion out of the count and keeps the others; "
            "compare it with the first column to see how much that criterion matters.",
            headers=[
                "PDU",
                f"All eight ({chosen} or more)",
                *[f"Without {c.number}. {c.name}" for c in CRITERIA],
            ],
            rows=[
                TableRow(
                    label[pk],
                    (
                        tables.count(found[pk].get(f"at_{chosen}")),
                        *(tables.count(found[pk].get(f"without_{c.number}")) for c in CRITERIA),
                    ),
                )
                for pk in order
            ],
        ),
    ]
    return page
