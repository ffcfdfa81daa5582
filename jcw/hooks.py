"""What joint case work contributes to the core's pages (see complexcases/core/registry.py)."""

from complexcases.core.registry import (
    DemoStep,
    LeaverWork,
    NavigationItem,
    SubjectAccessSection,
    register_demo_step,
    register_leaver_work,
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


def _open_episodes(leaver):
    from django.db.models import Q

    from .models import JcwEpisode

    return JcwEpisode.objects.filter(
        Q(clinician=leaver) | Q(practitioner=leaver), status=JcwEpisode.Status.OPEN
    )


def _move_episode(episode, leaver, colleague):
    if episode.clinician_id == leaver.pk:
        episode.clinician = colleague
    if episode.practitioner_id == leaver.pk:
        episode.practitioner = colleague
    episode.save()


def _clinicians_and_practitioners(leaver, staff):
    from complexcases.organisation.roles import Role

    return staff.filter(
        groups__name__in=[Role.OPD_CLINICIAN, Role.PROBATION_PRACTITIONER]
    ).distinct()


def register() -> None:
    from complexcases.cases.parts import register_case_section

    from . import case_parts

    register_case_section(case_parts.section, order=60)
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
    register_leaver_work(
        LeaverWork(
            kind="jcw",
            label="open joint case work episode(s)",
            form_label="Open joint case work episodes",
            items=_open_episodes,
            move=_move_episode,
            colleagues=_clinicians_and_practitioners,
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
