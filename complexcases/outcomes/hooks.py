"""What outcomes contributes to the core's pages (see complexcases/core/registry.py)."""

from complexcases.core.registry import (
    DemoStep,
    NavigationItem,
    register_demo_step,
    register_freshness,
    register_navigation,
)


def demo() -> dict:
    from .demo import demo_outcomes_load

    return demo_outcomes_load()


def extract_imported(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of an Extract: rebuild the figures once the import's transaction commits.

    Queued through the outbox (a TaskRun row in the import's transaction), so a broker that
    is down when the import commits delays the refresh but neither fails nor loses it."""
    if created and not raw:
        from complexcases.core.outbox import task_queue

        from .tasks import refresh_outcomes

        task_queue(refresh_outcomes)


def freshness() -> dict:
    from .models import OutcomesRefresh

    latest = OutcomesRefresh.objects.order_by("-finished_at").values_list("finished_at", flat=True)
    return {"outcomes_refresh": latest.first()}


def register() -> None:
    register_navigation(
        NavigationItem(
            label="Outcomes",
            url_name="outcomes:after-panel",
            permission="outcomes.view_outcomes",
            description="Is the pathway working? Outcomes after the panel beside a comparison "
            "group, what makes a complex case, and the threshold what-if.",
            order=75,
        )
    )
    register_freshness(freshness)
    register_demo_step(
        DemoStep(
            name="outcomes history",
            load=demo,
            message="{heard} synthetic cases heard in the past eighteen months, with {extracts} earlier "
            "monthly extracts, for the outcomes pages.",
            order=60,
        )
    )
