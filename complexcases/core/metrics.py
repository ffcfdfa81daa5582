"""Prometheus metrics of our own; django-prometheus adds requests, latency by view and queries.

Counters and histograms are process-local (each web and worker process has its own, or a
shared PROMETHEUS_MULTIPROC_DIR under gunicorn). Gauges that describe the whole service
(queue length, data freshness, worker heartbeat) are read when the endpoint is scraped.
No label ever holds a name, a CRN or an email address.
"""

import contextlib
import logging
import os
import time

from celery import signals
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import REGISTRY, GaugeMetricFamily

logger = logging.getLogger(__name__)

emails_sent = Counter(
    "complexcases_emails_sent_total", "Emails handed to the mail service", ["kind", "backend"]
)
emails_failed = Counter(
    "complexcases_emails_failed_total",
    "Emails the mail service refused or could not take",
    ["kind", "reason"],
)
uploads_scanned = Counter(
    "complexcases_uploads_scanned_total",
    "Uploads checked by the virus scanner, by outcome",
    ["outcome"],
)
celery_tasks = Counter(
    "complexcases_celery_tasks_total", "Celery tasks finished, by task and state", ["task", "state"]
)
celery_task_seconds = Histogram(
    "complexcases_celery_task_duration_seconds",
    "How long Celery tasks ran",
    ["task"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)

_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_started(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    name = getattr(task, "name", "unknown")
    celery_tasks.labels(task=name, state=state or "UNKNOWN").inc()
    if started is not None:
        celery_task_seconds.labels(task=name).observe(time.monotonic() - started)


def metrics_registry(*, with_service_gauges: bool):
    """The registry to expose: this process's, or every process's under PROMETHEUS_MULTIPROC_DIR.

    gunicorn's workers and Celery's prefork children are separate processes; with
    PROMETHEUS_MULTIPROC_DIR set (an empty directory, before start) each writes its counters
    there and a scrape adds them up.
    """
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    if with_service_gauges:
        registry.register(_collector)
    return registry


@signals.worker_ready.connect
def _worker_metrics_port(**kwargs):
    """A worker serves its own /metrics on CELERY_METRICS_PORT, when set."""
    from django.conf import settings

    if settings.CELERY_METRICS_PORT:
        from prometheus_client import start_http_server

        start_http_server(
            settings.CELERY_METRICS_PORT,
            addr=settings.CELERY_METRICS_ADDRESS,
            registry=metrics_registry(with_service_gauges=False),
        )
        logger.info("Worker metrics on port %s", settings.CELERY_METRICS_PORT)


class ServiceCollector:
    """Gauges read at scrape time: queue length, data age, worker heartbeat age."""

    def describe(self):
        return []  # so registering does not collect (and query the database) at start-up

    def collect(self):
        from .selectors import service_freshness

        try:
            freshness = service_freshness()
        except Exception:  # a scrape must not fail because one source is down
            logger.warning("Metrics: could not read the service's freshness", exc_info=True)
            return
        for name, help_text in [
            ("queue_length", "Celery messages waiting in the default queue"),
            ("newest_extract_age_seconds", "Age of the newest imported extract"),
            ("latest_monthly_list_age_seconds", "Age of the latest monthly list"),
            ("worker_heartbeat_age_seconds", "Age of the latest worker heartbeat"),
            ("emails_queued", "Emails in the outbox not yet sent (one per recipient)"),
            ("emails_oldest_queued_age_seconds", "Age of the oldest email not yet sent"),
            ("task_runs_failed", "Background task runs that failed after their retries"),
            ("outcomes_refresh_age_seconds", "Age of the outcomes figures (rebuilt nightly)"),
        ]:
            value = freshness.get(name)
            if value is not None:
                yield GaugeMetricFamily(f"complexcases_{name}", help_text, value=value)


_collector = ServiceCollector()


def register_service_collector() -> None:
    """Called once from CoreConfig.ready()."""
    with contextlib.suppress(ValueError):  # already registered (a second ready() in tests)
        REGISTRY.register(_collector)
