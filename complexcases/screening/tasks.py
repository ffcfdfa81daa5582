"""Thin tasks: load by id, call the service. Scheduled ones are idempotent (see services)."""

import logging

from celery import shared_task
from django.utils import timezone

from complexcases.core.notify import EmailRefused, EmailTemporarilyUnavailable

from .models import ExtractUpload, MonthlyList
from .services import (
    ScreeningError,
    extract_upload_process,
    monthly_list_generate,
    monthly_list_notify,
)

logger = logging.getLogger(__name__)


@shared_task
def import_extract_upload(upload_id: str) -> str:
    upload = ExtractUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    return extract_upload_process(upload=upload).status


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def generate_monthly_list(self, month: str | None = None) -> int:
    """Beat runs this at 7am on the 1st; `month` is YYYY-MM, default this month."""
    when = (
        timezone.localdate() if month is None else timezone.datetime.strptime(month, "%Y-%m").date()
    )
    try:
        run = monthly_list_generate(month=when)
    except ScreeningError as error:
        # No extract yet: try again later rather than fail silently.
        logger.warning("Monthly list for %s not generated: %s", when, error)
        raise self.retry(exc=error) from error
    return len(run.created)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notify_monthly_list_ready(self, monthly_list_id: int) -> int:
    monthly_list = MonthlyList.objects.select_related("pdu").get(pk=monthly_list_id)
    try:
        return monthly_list_notify(monthly_list=monthly_list)
    except EmailRefused as error:  # Notify refused it as built: retrying would not help
        logger.error("Monthly list email refused by the mail service: %s", error)
        return 0
    except (OSError, EmailTemporarilyUnavailable) as error:  # the mail service is away: try again
        raise self.retry(exc=error) from error
