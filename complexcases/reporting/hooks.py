"""What reporting contributes to the core's pages (see complexcases/core/registry.py)."""

from complexcases.core.registry import (
    DemoStep,
    NavigationItem,
    SubjectAccessSection,
    register_demo_step,
    register_navigation,
    register_subject_access,
)


def demo() -> int:
    from .demo import demo_learning_load

    return demo_learning_load()


def subject_access(*, person, redact_staff: bool) -> dict:
    from .subject_access import learning_subject_access

    return learning_subject_access(person=person, redact_staff=redact_staff)


def register() -> None:
    register_navigation(
        NavigationItem(
            label="Dashboard",
            url_name="reporting:dashboard",
            permission="reporting.view_dashboard",
            description="The pathway's numbers for your team, PDU or region, and the monthly report.",
            order=70,
        ),
        NavigationItem(
            label="Learning log",
            url_name="reporting:learning-log",
            permission="reporting.view_learningentry",
            description="Anonymised learning from panel cases: what blocked a case and what unblocked it.",
            order=80,
        ),
    )
    register_subject_access(
        SubjectAccessSection(
            name="learning log",
            build=subject_access,
            models=("reporting.LearningEntry",),
            order=60,
        )
    )
    register_demo_step(
        DemoStep(
            name="learning log",
            load=demo,
            message="{count} synthetic learning log entries.",
            order=50,
        )
    )
