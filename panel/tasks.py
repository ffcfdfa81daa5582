"""Thin tasks: call the service. Each is idempotent, so a second beat, or a job run again after
its worker was killed, changes nothing (ADR 0052, tests/core/test_at_least_once.py)."""

from celery import shared_task

from complexcases.core.tasks import ReliableTask

from .services.papers import panel_papers_release
from .services.papers_links import papers_link_failures_prune
from .services.reminders import reminders_send
from .services.sessions import panel_sessions_generate


@shared_task(base=ReliableTask)
def generate_panel_sessions() -> int:
    """Daily: make the sessions each recurring panel needs for the months ahead."""
    return len(panel_sessions_generate())


@shared_task(base=ReliableTask)
def release_panel_papers() -> int:
    """Daily at 7am: release papers for sessions within PANEL_PAPERS_WORKING_DAYS working days
    (and forget the papers links' failed tries of the day before: they count for an hour)."""
    papers_link_failures_prune()
    return panel_papers_release()


@shared_task(base=ReliableTask)
def send_reminders() -> int:
    """Daily at 7:30am: one digest per person with their due and overdue items."""
    return reminders_send()
