"""What joint case work contributes to the core's pages (see complexcases/core/registry.py)."""

from complexcases.core.registry import (
    DemoStep,
    NavigationItem,
    SubjectAccessSection,
    register_demo_step,
    register_navigation,
    register_person_page,
    register_subject_access,
    register_timeline_source,
)


def person_page(request, person, reads: dict) -> dict:
    """The person's open episode (if the user may see it) and how many in all."""
    from .selectors import jcw_person_summary

    return {"jcw": jcw_person_summary(user=request.user, person=person)}


def timeline(person, *, user, reads: dict) -> list:
    from .selectors import jcw_timeline_events

    return jcw_timeline_events(person, user=user)


def subject_access(*, person, redact_staff: bool) -> dict:
    from .subject_access import jcw_subject_access

    return {"joint_case_work": jcw_subject_access(person=person, redact_staff=redact_staff)}


def demo() -> int:
    from .demo import demo_jcw_load

    return demo_jcw_load()


def register() -> None:
    register_navigation(
        NavigationItem(
            label="Joint case work",
            url_name="jcw:caseload",
            permission="jcw.view_jcwepisode",
            description="OPD joint case work: episodes and their aims, contacts, feedback and counts.",
            order=30,
        )
    )
    register_person_page(person_page, order=30)
    register_timeline_source(timeline, order=40)
    register_subject_access(
        SubjectAccessSection(
            name="joint case work",
            build=subject_access,
            models=(
                "jcw.JcwEpisode",
                "jcw.JcwContact",
                "jcw.JcwContactActivity",
                "jcw.JcwFeedback",
            ),
            order=50,
        )
    )
    register_demo_step(
        DemoStep(
            name="joint case work",
            load=demo,
            message="{count} synthetic joint case work episodes.",
            order=40,
        )
    )
