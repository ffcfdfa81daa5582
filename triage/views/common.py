"""Triage pages: what every triage page shares."""

from complexcases.organisation.roles import Role
from complexcases.screening.models import MonthlyListEntry
from complexcases.screening.selectors import current_list_entry

from ..models import TriageRequest

Status = TriageRequest.Status
SESSION_KEY = "triage-request-draft"


def _listed_now(person) -> bool:
    entry = current_list_entry(person)
    return entry is not None and entry.status != MonthlyListEntry.Status.NO_LONGER_LISTED


def _requester_role_for(user) -> str:
    """Who is asking: a case holder asks for themselves; the team asks for the practitioner."""
    groups = set(user.groups.values_list("name", flat=True))
    if Role.SENIOR_PROBATION_OFFICER in groups:
        return TriageRequest.RequesterRole.SPO
    if Role.PROBATION_PRACTITIONER not in groups and user.has_perm("triage.manage_triage"):
        return TriageRequest.RequesterRole.TEAM
    return TriageRequest.RequesterRole.PRACTITIONER
