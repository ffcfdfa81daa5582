"""Thin tasks: load by id, call the service. Each is safe to run twice (ADR 0052)."""

import logging

from celery import shared_task
from django.utils import timezone

from complexcases.core.tasks import ReliableTask

from .models import ExtractUpload
from .services import (
    ScreeningError,
    extract_upload_given_up,
    extract_upload_process,
    monthly_list_generate,
)

logger = logging.getLogger(__name__)


class ImportTask(ReliableTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        super().on_failure(exc, task_id, args, kwargs, einfo)
        upload_id = (args or [kwargs.get("upload_id")])[0]
        if upload_id:
            extract_upload_given_up(upload_id=upload_id)


@shared_task(base=ImportTask, bind=True)
def import_extract_upload(self, upload_id: str) -> str:
    """Queued through the outbox when an extract is uploaded. A second run of a finished upload
    changes nothing, and one running at the same time as another waits for nothing: it returns.
    If the database goes away the import is rolled back whole and retried (ReliableTask)."""
    upload = ExtractUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    return extract_upload_process(upload=upload).status


@shared_task(base=ReliableTask, bind=True)
def generate_monthly_list(self, month: str | None = None) -> int:
    """Beat runs this at 7am on the 1st; `month` is YYYY-MM, default this month. A second run
    (or one after a killed run) makes only the lists still missing, with their emails."""
    when = (
        timezone.localdate() if month is None else timezone.datetime.strptime(month, "%Y-%m").date()
    )
    try:
        run = monthly_list_generate(month=when)
    except ScreeningError as error:
        # No extract yet: try again later rather than fail silently.
        logger.warning("Monthly list for %s not generated: %s", when, error)
        raise self.retry(exc=error, countdown=300, max_retries=3) from error
    return len(run.created)
