"""Reads that belong to the service as a whole."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat


def service_health() -> dict:
    """Whether the database answers and how long ago a Celery worker last checked in."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    age = (timezone.now() - latest) if latest else None
    return {
        "database": "ok",
        "worker_last_seen_seconds": int(age.total_seconds()) if age is not None else None,
        "worker": "ok" if age is not None and age < timedelta(minutes=5) else "not seen",
    }


def access_log_search(*, crn: str = "", user_email: str = "", date_from=None, date_to=None):
    """Access log rows for the data protection officer, newest first."""
    from .models import AccessLogEntry

    rows = AccessLogEntry.objects.select_related("user").order_by("-at", "-pk")
    if crn:
        rows = rows.filter(person_crn=crn.upper())
    if user_email:
        rows = rows.filter(user__email__iexact=user_email)
    if date_from:
        rows = rows.filter(at__date__gte=date_from)
    if date_to:
        rows = rows.filter(at__date__lte=date_to)
    return rows
