"""Thin tasks: the outcomes refresh, nightly and after each extract import (ADR 0054)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from .services import outcomes_refresh

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def refresh_outcomes(self) -> int:
    """Rebuild the outcomes summaries; beat runs it nightly, an import queues it."""
    try:
        refresh = outcomes_refresh()
    except DatabaseError as error:  # the database away or busy: the last figures stay up
        raise self.retry(exc=error) from error
    logger.info(
        "Outcomes refreshed: %s heard cases in %.1f s", refresh.heard_cases, refresh.seconds
    )
    return refresh.heard_cases
