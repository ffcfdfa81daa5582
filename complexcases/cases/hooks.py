"""What the case contributes to the core's pages (see complexcases/core/registry.py)."""

from django.urls import reverse
from django.utils import timezone

from complexcases.core.registry import (
    SubjectAccessSection,
    register_person_page,
    register_subject_access,
    register_timeline_source,
)
from complexcases.core.timeline import TimelineEvent


def person_page(request, person, reads: dict) -> dict:
    """The person's open case (instead of "Request triage") and their earlier cases."""
    from .parts import next_step_for
    from .selectors import cases_for_person

    reads["cases"] = cases = cases_for_person(person)
    open_case = next((case for case in cases if case.is_open), None)
    return {
        "open_case": open_case,
        "open_case_next_step": next_step_for(open_case, request.user) if open_case else None,
        "closed_cases": [case for case in cases if not case.is_open],
        "may_open_cases": request.user.has_perm("cases.view_case_page"),
    }


def timeline(person, *, user, reads: dict) -> list:
    from .selectors import cases_for_person

    cases = reads.get("cases")
    if cases is None:
        cases = cases_for_person(person)
    events = []
    for case in cases:
        href = (
            reverse("cases:detail", args=[case.reference])
            if user.has_perm("cases.view_case_page")
            else ""
        )
        events.append(
            TimelineEvent(
                timezone.localdate(case.opened_at),
                f"Case {case.reference} opened",
                "",
                at=case.opened_at,
                href=href,
                case_id=case.pk,
            )
        )
        if case.closed_at:
            events.append(
                TimelineEvent(
                    timezone.localdate(case.closed_at),
                    f"Case {case.reference} closed",
                    case.get_closed_reason_display(),
                    at=case.closed_at,
                    href=href,
                    case_id=case.pk,
                )
            )
    return events


def subject_access(*, person, redact_staff: bool) -> dict:
    from complexcases.core.subject_access import _fields

    from .models import Case

    return {
        "cases": [
            _fields(
                case,
                redact=redact_staff,
                staff_fields=("opened_by", "closed_by"),
                exclude=("person",),
            )
            for case in Case.objects.filter(person=person).order_by("opened_at")
        ]
    }


def register() -> None:
    register_person_page(person_page, order=15)
    register_timeline_source(timeline, order=15)
    register_subject_access(
        SubjectAccessSection(name="cases", build=subject_access, models=("cases.Case",), order=15)
    )
