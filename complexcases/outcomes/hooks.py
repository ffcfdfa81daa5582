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
    """post_save of an Extract: rebuild the figures once the import's transaction commits."""
    if created and not raw:
        from django.db import transaction

        from .tasks import refresh_outcomes

        transaction.on_commit(refresh_outcomes.delay)


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
