"""Which summary rows a scope reads: the same areas as the dashboard (ADR 0016)."""

from complexcases.reporting.scope import NATIONAL, PDU, REGION, Scope

from ..models import Area, OutcomesRefresh


def latest_refresh() -> OutcomesRefresh | None:
    return OutcomesRefresh.objects.order_by("-finished_at", "-pk").first()


def area_of(scope: Scope) -> dict | None:
    """The OutcomeFigure filter for the area chosen within the scope; None: no figures (a team)."""
    if scope.pdu is not None:
        return {"area": Area.PDU, "pdu": scope.pdu}
    if scope.region is not None:
        return {"area": Area.REGION, "region": scope.region}
    if scope.level == PDU:
        return {"area": Area.PDU, "pdu": scope.pdus[0]}
    if scope.level == REGION:
        return {"area": Area.REGION, "region": scope.regions[0]}
    if scope.level == NATIONAL:
        return {"area": Area.NATIONAL}
    return None


def pdus_of(scope: Scope) -> dict | None:
    """A filter on a model's `pdu` for the chosen area: {} for every region, None for no figures."""
    area = area_of(scope)
    if area is None:
        return None
    if area["area"] == Area.PDU:
        return {"pdu": area["pdu"]}
    if area["area"] == Area.REGION:
        return {"pdu__region": area["region"]}
    return {}
