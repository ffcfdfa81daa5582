"""What screening contributes to the core's pages (see complexcases/core/registry.py)."""

from complexcases.core.registry import (
    DemoStep,
    NavigationItem,
    SubjectAccessSection,
    register_demo_step,
    register_freshness,
    register_navigation,
    register_person_page,
    register_subject_access,
    register_timeline_source,
)


def person_page(request, person, reads: dict) -> dict:
    """Why the person is (or is not) listed: the latest screening, list entries, overrides."""
    from .rules import ROSH_LABELS
    from .selectors import (
        criteria_explained,
        current_entry_of,
        latest_screening,
        months_listed_of,
        person_list_entries,
        person_overrides,
    )

    screening = latest_screening(person)
    reads["list_entries"] = entries = person_list_entries(person)
    reads["pathway_overrides"] = overrides = person_overrides(person)
    entry = current_entry_of(entries)
    return {
        "screening": screening,
        "rosh_label": ROSH_LABELS.get(screening.rosh_level if screening else "", "unknown"),
        "criteria": criteria_explained(screening),
        "months_listed": months_listed_of(entries),
        "entry": entry,
        "conversation": getattr(entry, "reflective_conversation", None) if entry else None,
        "overrides": overrides,
    }


def timeline(person, *, user, reads: dict) -> list:
    from .selectors import screening_timeline_events

    return screening_timeline_events(
        person, entries=reads.get("list_entries"), overrides=reads.get("pathway_overrides")
    )


def subject_access(*, person, redact_staff: bool) -> dict:
    from .subject_access import screening_subject_access

    return screening_subject_access(person=person, redact_staff=redact_staff)


def demo() -> dict:
    from .demo import demo_screening_load

    return demo_screening_load()


def freshness() -> dict:
    """When the newest extract was imported and the latest monthly list made (for the metrics)."""
    from django.db.models import Max

    from .models import Extract, MonthlyList

    return {
        "newest_extract": Extract.objects.aggregate(at=Max("imported_at"))["at"],
        "latest_monthly_list": MonthlyList.objects.aggregate(at=Max("generated_at"))["at"],
    }


def register() -> None:
    register_freshness(freshness)
    register_navigation(
        NavigationItem(
            label="Monthly list",
            url_name="screening:monthly-list",
            permission="screening.view_monthlylist",
            description="People meeting the complexity criteria this month, and reflective conversations.",
            order=10,
        ),
        NavigationItem(
            label="Import extract",
            url_name="screening:extract-upload",
            permission="screening.import_extract",
            description="Upload the monthly nDelius and OASys extract.",
            order=90,
        ),
    )
    register_person_page(person_page, order=10)
    register_timeline_source(timeline, order=10)
    register_subject_access(
        SubjectAccessSection(
            name="screening",
            build=subject_access,
            models=(
                "screening.Screening",
                "screening.MonthlyListEntry",
                "screening.ReflectiveConversation",
                "screening.PathwayOverride",
            ),
            order=10,
        )
    )
    register_demo_step(
        DemoStep(
            name="screening",
            load=demo,
            message="{people} synthetic people, {extracts_imported} new monthly extracts",
            order=20,
            headline=True,
        )
    )
