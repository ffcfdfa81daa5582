"""Whose figures a user may see (ADR 0016), and the area they have chosen within that.

The Complex Cases team sees every region; a regional head their region; a head of PDU their
PDU; practitioners and SPOs their own team. An area outside that is a 404, as if it did not
exist.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from complexcases.organisation.models import ProbationDeliveryUnit, Region, User
from complexcases.organisation.roles import Role

NATIONAL, REGION, PDU, TEAM, NONE = "national", "region", "pdu", "team", "none"


@dataclass
class Scope:
    level: str
    whose: str  # in words: "every region", "East of England", "your team (Northampton North)"
    regions: list[Region] = field(default_factory=list)
    pdus: list[ProbationDeliveryUnit] = field(default_factory=list)
    base: dict = field(default_factory=dict)  # how the level restricts people: see q()
    region: Region | None = None  # the area chosen within the scope
    pdu: ProbationDeliveryUnit | None = None

    @property
    def below_pdu(self) -> bool:
        """Team figures are below PDU level: small counts are suppressed in exports."""
        return self.level == TEAM

    @property
    def area(self) -> str:
        if self.level in (TEAM, PDU):
            return self.whose
        if self.pdu is not None:
            return self.pdu.name
        if self.region is not None:
            return self.region.name
        return self.whose

    def q(self, *, pdu: str, practitioner: str) -> Q:
        """A filter on any model: `pdu` and `practitioner` are the paths to its PDU and practitioner."""
        if self.level == NONE:
            return Q(pk__in=[])
        condition = Q()
        if "region_id" in self.base:
            condition &= Q(**{f"{pdu}__region_id": self.base["region_id"]})
        if "pdu_id" in self.base:
            condition &= Q(**{f"{pdu}_id": self.base["pdu_id"]})
        if "team_id" in self.base:
            condition &= Q(**{f"{practitioner}__team_id": self.base["team_id"]})
        if "caseload_of" in self.base:
            mine = Q(**{practitioner: self.base["caseload_of"]})
            if self.base.get("line_reports"):
                mine |= Q(**{f"{practitioner}__line_manager": self.base["caseload_of"]})
            condition &= mine
        if self.pdu is not None:
            condition &= Q(**{f"{pdu}_id": self.pdu.pk})
        elif self.region is not None:
            condition &= Q(**{f"{pdu}__region_id": self.region.pk})
        return condition

    def filter_params(self) -> dict[str, str]:
        params = {}
        if self.region is not None:
            params["region"] = self.region.code
        if self.pdu is not None:
            params["pdu"] = self.pdu.code
        return params


def _roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def reporting_scope_for(user: User) -> Scope:
    """The widest set of figures the user's roles give them."""
    if not user.is_authenticated or not user.has_perm("reporting.view_dashboard"):
        return Scope(level=NONE, whose="no one")
    if user.has_perm("reporting.view_national_figures"):
        regions = list(Region.objects.order_by("name"))
        pdus = list(ProbationDeliveryUnit.objects.select_related("region").order_by("name"))
        return Scope(level=NATIONAL, whose="every region", regions=regions, pdus=pdus)
    roles = _roles(user)
    if Role.HEAD_OF_SERVICE in roles:
        from .models import RegionalHead

        regional = RegionalHead.objects.select_related("region").filter(user=user).first()
        if regional is not None:
            region = regional.region
            return Scope(
                level=REGION,
                whose=region.name,
                regions=[region],
                pdus=list(region.pdus.select_related("region").order_by("name")),
                base={"region_id": region.pk},
            )
        if user.pdu_id:
            pdu = ProbationDeliveryUnit.objects.select_related("region").get(pk=user.pdu_id)
            return Scope(
                level=PDU,
                whose=pdu.name,
                regions=[pdu.region],
                pdus=[pdu],
                base={"pdu_id": pdu.pk},
            )
    if roles & {Role.PROBATION_PRACTITIONER, Role.SENIOR_PROBATION_OFFICER}:
        home = ProbationDeliveryUnit.objects.select_related("region").filter(pk=user.pdu_id).first()
        offered = {"regions": [home.region], "pdus": [home]} if home else {}
        if user.team_id:
            return Scope(
                level=TEAM,
                whose=f"your team ({user.team.name})",
                base={"team_id": user.team_id},
                **offered,
            )
        return Scope(
            level=TEAM,
            whose="your caseload" if Role.SENIOR_PROBATION_OFFICER not in roles else "your team",
            base={
                "caseload_of": user,
                "line_reports": Role.SENIOR_PROBATION_OFFICER in roles,
            },
            **offered,
        )
    return Scope(level=NONE, whose="no one")


def scope_choose(scope: Scope, *, region_code: str = "", pdu_code: str = "") -> Scope:
    """Narrow the scope to a region or PDU the user chose; one outside it is a 404."""
    region = pdu = None
    if region_code:
        region = next((r for r in scope.regions if r.code == region_code), None)
        if region is None:
            raise Http404("No such region")
    if pdu_code:
        pdu = next((p for p in scope.pdus if p.code == pdu_code), None)
        if pdu is None:
            raise Http404("No such PDU")
    if scope.level == TEAM:
        return scope  # a team's figures are the team's, whichever of its own areas is named
    scope.region, scope.pdu = region, pdu
    return scope
