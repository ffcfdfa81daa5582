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
    if user.groups.filter(name=Role.SENIOR_PROBATION_OFFICER).exists():
        return TriageRequest.RequesterRole.SPO
    return TriageRequest.RequesterRole.PRACTITIONER
