"""What triage contributes to the core's pages (see complexcases/core/registry.py)."""

from complexcases.core.registry import (
    DemoStep,
    NavigationItem,
    SubjectAccessSection,
    register_demo_step,
    register_navigation,
    register_needs_today,
    register_person_page,
    register_subject_access,
    register_timeline_source,
)


def person_page(request, person, reads: dict) -> dict:
    """The person's open triage request, if the user may see it."""
    from .selectors import open_triage_request_for, triage_requests_for_person

    reads["triage_requests"] = requests = triage_requests_for_person(request.user, person)
    return {"open_triage": open_triage_request_for(request.user, person, requests=requests)}


def needs_today(request) -> list:
    """For those who run triage: the cases whose triage meeting is still to arrange."""
    if not request.user.has_perm("triage.manage_triage"):
        return []
    from django.urls import reverse

    from complexcases.cases.models import Case
    from complexcases.core.registry import TodayItem

    count = Case.objects.filter(status=Case.Status.REQUESTED).count()
    if not count:
        return []
    return [
        TodayItem(
            f"{count} triage request{'s' if count != 1 else ''} to arrange a meeting for",
            reverse("triage:queue"),
        )
    ]


def timeline(person, *, user, reads: dict) -> list:
    from .selectors import triage_timeline_events

    return triage_timeline_events(person, user=user, requests=reads.get("triage_requests"))


def subject_access(*, person, redact_staff: bool) -> dict:
    from .subject_access import triage_subject_access

    return triage_subject_access(person=person, redact_staff=redact_staff)


def demo() -> None:
    from .reference import themes_ensure_defaults

    themes_ensure_defaults()


def demo_cases() -> int:
    from .demo import demo_triage_cases_load

    return demo_triage_cases_load()


def register() -> None:
    from complexcases.cases.parts import register_case_section, register_next_step

    from . import case_parts

    register_next_step(case_parts.next_step, order=20)
    register_case_section(case_parts.section, order=20)
    register_navigation(
        NavigationItem(
            label="Triage",
            url_name="triage:queue",
            permission="triage.view_triagerequest",
            description="Triage requests: the team's queue, or your own and your team's requests.",
            order=20,
        )
    )
    register_person_page(person_page, order=20)
    register_needs_today(needs_today, order=5)
    register_timeline_source(timeline, order=20)
    register_subject_access(
        SubjectAccessSection(
            name="triage",
            build=subject_access,
            models=(
                "triage.TriageRequest",
                "triage.TriageMeeting",
                "triage.TriageInvitee",
                "triage.TriageRecord",
                "triage.TriageBlocker",
            ),
            order=20,
        )
    )
    register_demo_step(DemoStep(name="triage themes", load=demo, order=10))
    register_demo_step(
        DemoStep(
            name="triage cases",
            load=demo_cases,
            message="{count} synthetic cases at triage (closed with guidance, a meeting to arrange).",
            order=35,  # after the panel's, which takes the first people on the caseload
        )
    )
