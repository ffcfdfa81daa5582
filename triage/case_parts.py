"""Triage's part of a case: its next step while triage is under way, and the case page's
Triage section (see complexcases/cases/parts.py)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.parts import CaseSection, NextStep
from complexcases.core.formatting import govuk_date
from complexcases.core.working_days import add_working_days

from .models import TriageRequest

TEAM = "Complex Cases team"


def _latest_request(case: Case) -> TriageRequest | None:
    return (
        TriageRequest.objects.filter(case=case)
        .select_related("assigned_to", "meeting")
        .order_by("-requested_at")
        .first()
    )


def next_step(case: Case, user) -> NextStep | None:
    """Requested: arrange the meeting; scheduled: hold it; held: record the outcome."""
    if case.status not in (
        Case.Status.REQUESTED,
        Case.Status.TRIAGE_SCHEDULED,
        Case.Status.TRIAGE_HELD,
    ):
        return None
    request = _latest_request(case)
    if request is None:
        return None
    owner = request.assigned_to.get_full_name() if request.assigned_to_id else TEAM
    manages = user.has_perm("triage.manage_triage")
    meeting = getattr(request, "meeting", None)
    if case.status == Case.Status.REQUESTED:
        due = add_working_days(
            timezone.localdate(request.requested_at), settings.TRIAGE_TARGET_WORKING_DAYS
        )
        return NextStep(
            "Arrange the triage meeting",
            owner,
            due,
            action="Schedule the triage meeting" if manages else "",
            href=reverse("triage:schedule", args=[request.pk]) if manages else "",
        )
    if case.status == Case.Status.TRIAGE_SCHEDULED and meeting is not None:
        started = meeting.starts_at <= timezone.now()
        return NextStep(
            f"Triage meeting on {govuk_date(meeting.starts_at)}",
            owner,
            timezone.localdate(meeting.starts_at),
            action="Record the meeting as held" if manages and started else "",
            href=reverse("triage:held", args=[request.pk]) if manages and started else "",
        )
    return NextStep(
        "Record the triage outcome",
        owner,
        timezone.localdate(meeting.starts_at) if meeting else None,
        action="Record the outcome" if manages else "",
        href=reverse("triage:outcome", args=[request.pk]) if manages else "",
    )


def section(case: Case, user) -> CaseSection | None:
    """The case's triage requests the user may see, each with its meeting and outcome."""
    from .selectors import triage_requests_visible_to

    requests = list(
        triage_requests_visible_to(user)
        .filter(case=case)
        .select_related("requested_by", "meeting", "record")
        .order_by("requested_at")
    )
    if not requests:
        return None
    return CaseSection(
        "Triage", "triage", "triage/includes/case_section.html", {"requests": requests}
    )
