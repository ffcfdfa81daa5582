"""The service's own tasks, and the base class of the jobs that must run (ADR 0052)."""

import logging
import uuid

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone

from .services import email_deliver, worker_heartbeat_record

logger = logging.getLogger(__name__)

# The database away (a restart, a failover): retried with back-off, as the broker redelivers.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class ReliableTask(Task):
    """A job that must run: at least once, each attempt and the outcome kept in a TaskRun row.

    Acknowledged only when it has finished (acks_late), and put back on the queue if the
    worker process running it dies (reject_on_worker_lost): a worker killed mid-job loses
    nothing, so every such job must be safe to run twice (tests/core/test_at_least_once.py).
    The database being away is retried with back-off (TASK_RETRY_BACKOFF_SECONDS, doubling,
    TASK_MAX_RETRIES times); a run that fails after its retries is recorded as failed, with
    the reason, for the system administrator (Django admin, Task runs), not only logged.
    """

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = DATABASE_UNAVAILABLE
    max_retries = settings.TASK_MAX_RETRIES
    retry_backoff = settings.TASK_RETRY_BACKOFF_SECONDS
    retry_backoff_max = 600
    retry_jitter = False

    def _run_update(self, task_id, **fields) -> int:
        from .models import TaskRun

        try:
            run_id = uuid.UUID(str(task_id))
        except ValueError:
            return 0
        try:
            return TaskRun.objects.filter(pk=run_id).update(**fields)
        except DatabaseError:
            logger.warning("Task %s: the run could not be recorded (database away)", self.name)
            return 0

    def before_start(self, task_id, args, kwargs):
        from django.db.models import F

        from .models import TaskRun

        now = timezone.now()
        fields = {"status": TaskRun.Status.RUNNING, "started_at": now, "finished_at": None}
        if self._run_update(task_id, attempts=F("attempts") + 1, **fields):
            return
        try:
            TaskRun.objects.create(
                id=uuid.UUID(str(task_id)),
                task=self.name,
                args=list(args or []),
                kwargs=dict(kwargs or {}),
                attempts=1,
                **fields,
            )
        except (ValueError, DatabaseError):
            logger.warning("Task %s: the run could not be recorded", self.name)

    def on_success(self, retval, task_id, args, kwargs):
        from .models import TaskRun

        self._run_update(
            task_id, status=TaskRun.Status.SUCCEEDED, finished_at=timezone.now(), error=""
        )

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        from datetime import datetime, timedelta

        from .models import TaskRun
        from .outbox import handover_lease

        # The broker holds the retry until then; the relay hands it over only if it is lost.
        when = getattr(exc, "when", None)
        due = timezone.now()
        if isinstance(when, datetime):
            due = when
        elif isinstance(when, int | float):
            due += timedelta(seconds=when)
        self._run_update(
            task_id,
            status=TaskRun.Status.QUEUED,
            error=_reason(getattr(exc, "exc", None) or exc),
            next_attempt_at=due + handover_lease(),
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .models import TaskRun

        logger.error("Task %s failed after its retries: %s", self.name, _reason(exc))
        self._run_update(
            task_id, status=TaskRun.Status.FAILED, finished_at=timezone.now(), error=_reason(exc)
        )


def _reason(error: BaseException) -> str:
    """The class and message: a database error's detail can quote a row, so only its class."""
    if isinstance(error, DatabaseError):
        return type(error).__name__
    return f"{type(error).__name__}: {error}"[:300]


@shared_task(bind=True, ignore_result=False)
def record_worker_heartbeat(self) -> str:
    """Beat runs this every minute so /healthz can tell whether workers are consuming."""
    worker = self.request.hostname or "unknown"
    heartbeat = worker_heartbeat_record(worker=worker)
    return heartbeat.beat_at.isoformat()


@shared_task
def relay_outbox() -> dict:
    """Beat runs this every minute: hand to the broker the emails and tasks not yet handed over."""
    from .outbox import outbox_relay

    return outbox_relay()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=DATABASE_UNAVAILABLE,
    retry_backoff=settings.TASK_RETRY_BACKOFF_SECONDS,
    retry_jitter=False,
    max_retries=settings.TASK_MAX_RETRIES,
)
def deliver_email(self, *, email_id: str) -> int:
    """Send one outbox email (core.services.email_deliver); retry while the mail service is away.

    The attempts, the error and the back-off are kept on the email's rows; this task asks the
    broker for the retry too, and if it cannot, the relay hands the email over when it is due.
    """
    from celery.exceptions import Retry

    from .models import EmailDelivery
    from .outbox import handover_lease

    outcome = email_deliver(email_id=email_id)
    if outcome.retry_in is not None:
        try:
            raise self.retry(countdown=outcome.retry_in.total_seconds(), max_retries=None)
        except Retry:
            # The broker holds the retry: the relay leaves the email alone meanwhile.
            EmailDelivery.objects.filter(
                email_id=email_id, status=EmailDelivery.Status.QUEUED
            ).update(next_attempt_at=timezone.now() + outcome.retry_in + handover_lease())
            raise
        except Exception:  # the broker is away: the relay hands the email over when due
            logger.warning("Email retry not queued; the outbox relay will hand it over")
    return outcome.sent


@shared_task(base=ReliableTask, bind=True)
def apply_access_log_retention(self) -> int:
    """Daily: delete access log rows older than ACCESS_LOG_RETENTION_DAYS (default two years).

    Email deliveries (which name the recipients) go with them, and expired calendar files."""
    from .services import access_log_apply_retention, email_delivery_apply_retention

    email_delivery_apply_retention(older_than_days=settings.ACCESS_LOG_RETENTION_DAYS)
    return access_log_apply_retention(older_than_days=settings.ACCESS_LOG_RETENTION_DAYS)
