"""Thin tasks: the outcomes refresh, nightly and after each extract import (ADR 0054)."""

import logging

from celery import shared_task

from complexcases.core.tasks import ReliableTask

from .services import outcomes_refresh

logger = logging.getLogger(__name__)


@shared_task(base=ReliableTask, bind=True)
def refresh_outcomes(self) -> int:
    """Rebuild the outcomes summaries; beat runs it nightly, an import queues it.

    A job that must run (ADR 0052): at least once, retried while the database is away (the
    last figures stay up meanwhile), and safe to run twice: each run rebuilds the summaries.
    """
    refresh = outcomes_refresh()
    logger.info(
        "Outcomes refreshed: %s heard cases in %.1f s", refresh.heard_cases, refresh.seconds
    )
    return refresh.heard_cases
