"""Reads that belong to the service as a whole."""

from datetime import timedelta

from django.db import connection, models
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


HEARTBEAT_STALE_AFTER = timedelta(minutes=5)


def _age_seconds(moment) -> float | None:
    return (timezone.now() - moment).total_seconds() if moment else None


def celery_queue_length() -> int:
    """Messages waiting in the default Celery queue (a Redis list), read from the broker."""
    from celery import current_app
    from django.conf import settings

    with current_app.connection_for_read() as connection_:
        client = connection_.default_channel.client
        return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))


def service_freshness() -> dict:
    """Numbers a platform alerts on: queue length, heartbeat age, and the age of what each app
    registers (``core.registry.register_freshness``: the newest extract and monthly list)."""
    from .registry import freshness_providers

    moments = {}
    for provider in freshness_providers():
        moments.update(provider())
    heartbeat = WorkerHeartbeat.objects.aggregate(at=models.Max("beat_at"))["at"]
    try:
        queue_length = celery_queue_length()
    except Exception:  # the broker being down is reported by readiness, not here
        queue_length = None
    return {
        "queue_length": queue_length,
        **{f"{name}_age_seconds": _age_seconds(at) for name, at in moments.items()},
        "worker_heartbeat_age_seconds": _age_seconds(heartbeat),
        **outbox_state(),
    }


def outbox_state() -> dict:
    """The outbox at a glance (ADR 0051): emails waiting, the oldest one's age, failed task runs."""
    from .models import EmailDelivery, TaskRun

    waiting = EmailDelivery.objects.filter(status=EmailDelivery.Status.QUEUED).aggregate(
        count=models.Count("pk"), oldest=models.Min("at")
    )
    return {
        "emails_queued": waiting["count"],
        "emails_oldest_queued_age_seconds": _age_seconds(waiting["oldest"]),
        "task_runs_failed": TaskRun.objects.filter(status=TaskRun.Status.FAILED).count(),
    }


def service_readiness() -> tuple[bool, dict]:
    """Whether this instance can serve: what a request needs must answer, the rest is reported.

    Each check is "ok" or a short reason; no personal data. The database (and the scanner,
    when CLAMD_URL is set) must answer. The broker and the workers are reported but do not
    make the instance unready: requests queue their work in the outbox, which the relay hands
    over when the broker is back (ADR 0052), so taking every pod out of the load balancer
    would only turn a delay into an outage.
    """
    from celery import current_app

    from .scanning import ScannerUnavailable, scanner_configured, scanner_ping

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
    try:
        with current_app.connection_for_read() as connection_:
            connection_.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            connection_.default_channel.client.ping()
        checks["redis"] = "ok"
    except Exception:
        checks["redis"] = "unavailable"
    if checks["database"] == "ok":
        latest = WorkerHeartbeat.objects.aggregate(at=models.Max("beat_at"))["at"]
        if latest is None:
            checks["worker"] = "not seen"
        elif timezone.now() - latest > HEARTBEAT_STALE_AFTER:
            checks["worker"] = "stale"
        else:
            checks["worker"] = "ok"
    if scanner_configured():
        try:
            scanner_ping()
            checks["scanner"] = "ok"
        except ScannerUnavailable:
            checks["scanner"] = "unavailable"
    ready = all(value == "ok" for key, value in checks.items() if key not in REPORTED_ONLY)
    return ready, checks


# Checks readiness reports without failing on them (ADR 0052).
REPORTED_ONLY = ("redis", "worker")


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
