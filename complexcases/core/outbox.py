"""The transactional outbox (ADR 0051): work a change asks for is a row written with the change.

An email is an EmailDelivery row per recipient and any other job that must happen is a TaskRun
row, both written in the transaction of the change. After commit the work is handed to the
broker once, without waiting: if Redis does not answer, the request still succeeds (and says
so, OutboxNoticeMiddleware) and the relay, which beat runs every minute, hands the work over
once the broker is back. A process that dies between commit and hand-over, or a message Redis
loses, loses nothing either: a row not done within its lease is handed over again. Delivery
is at least once; the email task sends only to recipients still queued, under a row lock, so a
second hand-over of the same email sends nothing.
"""

import contextvars
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def handover_lease() -> timedelta:
    """A row handed over and not delivered within this is handed over again by the relay (a
    worker died, Redis lost the message): OUTBOX_HANDOVER_LEASE_SECONDS, five minutes, longer
    than a delivery normally waits in the queue."""
    return timedelta(seconds=settings.OUTBOX_HANDOVER_LEASE_SECONDS)


# After the broker refused a hand-over, skip hand-overs in this process for this long: the
# relay will hand the work over, and a request queueing many emails does not wait on each.
BROKER_SKIP_SECONDS = 10.0

_broker_down_until = 0.0
_delayed: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_delayed", default=False)


def outbox_delayed_reset() -> contextvars.Token:
    return _delayed.set(False)


def outbox_delayed() -> bool:
    """Whether work queued in this request could not be handed to the broker (it will be later)."""
    return _delayed.get()


def broker_hand_over(task, *, args=(), kwargs=None, task_id=None) -> bool:
    """Publish a task once, without retrying; False (logged) if the broker does not take it."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        _delayed.set(True)
        return False
    try:
        _publish_once(task, args=list(args), kwargs=kwargs or {}, task_id=task_id)
    except Exception as error:  # kombu's OperationalError, redis's ConnectionError, OSError
        _broker_down_until = time.monotonic() + BROKER_SKIP_SECONDS
        _delayed.set(True)
        logger.warning(
            "Broker unavailable: %s kept in the outbox for the relay (%s)",
            task.name.rsplit(".", 1)[-1],
            type(error).__name__,
        )
        return False
    return True


def _publish_once(task, *, args, kwargs, task_id) -> None:
    """One try, bounded in time: kombu's own connect would retry for seconds, and a request
    waiting on it is the failure the outbox is for."""
    from celery import current_app

    if current_app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, task_id=task_id)
        return
    with current_app.pool.acquire(block=True, timeout=2) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        task.apply_async(
            args=args, kwargs=kwargs, task_id=task_id, retry=False, connection=connection
        )


def broker_hand_over_allowed_again() -> None:
    """Forget a refused hand-over (the relay, and tests, try the broker again at once)."""
    global _broker_down_until
    _broker_down_until = 0.0


# Emails ----------------------------------------------------------------------------------------


def email_outbox_add(
    *,
    subject: str,
    body: str,
    recipients: list[str],
    template: str,
    personalisation: dict,
    attachments: list,
    disclosure_id: int | None,
) -> list[str]:
    """Write one queued email per recipient in the caller's transaction; hand each over after
    commit. One message each, so no recipient sees another's address (ADR 0045)."""
    import uuid

    from .models import EmailDelivery

    email_ids = {recipient: uuid.uuid4().hex for recipient in recipients}
    now = timezone.now()
    EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(
                email_id=email_ids[recipient],
                template=template,
                disclosure_id=disclosure_id,
                recipient=recipient,
                status=EmailDelivery.Status.QUEUED,
                subject=subject[:300],
                body=body,
                personalisation=personalisation,
                attachments=attachments,
                next_attempt_at=now + handover_lease(),
            )
            for recipient in recipients
        ]
    )
    for email_id in email_ids.values():
        transaction.on_commit(lambda email_id=email_id: _email_hand_over(email_id))
    return list(email_ids.values())


def _email_hand_over(email_id: str) -> None:
    from .models import EmailDelivery
    from .tasks import deliver_email

    if broker_hand_over(deliver_email, kwargs={"email_id": email_id}):
        return
    try:  # the relay's next run takes it, rather than after the lease
        EmailDelivery.objects.filter(email_id=email_id, status=EmailDelivery.Status.QUEUED).update(
            next_attempt_at=timezone.now()
        )
    except DatabaseError:
        logger.warning("Outbox: could not bring an email forward; the relay takes it later")


# Tasks -----------------------------------------------------------------------------------------


def task_queue(task, *, args=(), kwargs=None):
    """Write a TaskRun for `task` in the caller's transaction; hand it over after commit.

    The run's id is the Celery task id, so the worker records on it each attempt and the
    outcome (core.tasks.ReliableTask)."""
    from .models import TaskRun

    run = TaskRun.objects.create(
        task=task.name,
        args=list(args),
        kwargs=kwargs or {},
        next_attempt_at=timezone.now() + handover_lease(),
    )
    transaction.on_commit(lambda: _task_hand_over(run.pk, task, run.args, run.kwargs))
    return run


def _task_hand_over(run_id, task, args, kwargs) -> None:
    from .models import TaskRun

    if broker_hand_over(task, args=args, kwargs=kwargs, task_id=str(run_id)):
        return
    try:
        TaskRun.objects.filter(pk=run_id, status=TaskRun.Status.QUEUED).update(
            next_attempt_at=timezone.now()
        )
    except DatabaseError:
        logger.warning("Outbox: could not bring a task forward; the relay takes it later")


# The relay -------------------------------------------------------------------------------------


def outbox_relay(*, limit: int = 500) -> dict[str, int]:
    """Hand over every email and task that is due and not yet handed over (or whose lease ran out).

    Rows are claimed under SKIP LOCKED and their lease renewed before hand-over, so two relays
    at once (a second beat during a rollout) hand each row over once; a row a worker is
    delivering is locked and skipped. If the broker refuses, the claimed rows are due again at
    once and the relay stops until its next run.
    """
    from celery import current_app

    from .models import EmailDelivery, TaskRun
    from .tasks import deliver_email

    broker_hand_over_allowed_again()
    now = timezone.now()
    with transaction.atomic():
        email_ids = list(
            dict.fromkeys(
                EmailDelivery.objects.select_for_update(skip_locked=True)
                .filter(status=EmailDelivery.Status.QUEUED, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
                .values_list("email_id", flat=True)[:limit]
            )
        )
        EmailDelivery.objects.filter(
            email_id__in=email_ids, status=EmailDelivery.Status.QUEUED
        ).update(next_attempt_at=now + handover_lease())
        runs = list(
            TaskRun.objects.select_for_update(skip_locked=True)
            .filter(status=TaskRun.Status.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:limit]
        )
        TaskRun.objects.filter(pk__in=[run.pk for run in runs]).update(
            next_attempt_at=now + handover_lease()
        )
    handed = {"emails": 0, "tasks": 0}
    for position, email_id in enumerate(email_ids):
        if not broker_hand_over(deliver_email, kwargs={"email_id": email_id}):
            EmailDelivery.objects.filter(
                email_id__in=email_ids[position:], status=EmailDelivery.Status.QUEUED
            ).update(next_attempt_at=now)
            TaskRun.objects.filter(pk__in=[run.pk for run in runs]).update(next_attempt_at=now)
            return handed
        handed["emails"] += 1
    for position, run in enumerate(runs):
        task = current_app.tasks.get(run.task)
        if task is None:
            TaskRun.objects.filter(pk=run.pk).update(
                status=TaskRun.Status.FAILED,
                error=f"No such task: {run.task}"[:300],
                finished_at=timezone.now(),
            )
            continue
        if not broker_hand_over(task, args=run.args, kwargs=run.kwargs, task_id=str(run.pk)):
            TaskRun.objects.filter(pk__in=[r.pk for r in runs[position:]]).update(
                next_attempt_at=now
            )
            return handed
        handed["tasks"] += 1
    if handed["emails"] or handed["tasks"]:
        logger.info(
            "Outbox relay handed over %s email(s) and %s task(s)", handed["emails"], handed["tasks"]
        )
    return handed


def email_retry_in(attempt: int) -> timedelta:
    """Back-off after a temporary failure: 1, 2, 4, 8 then 16 minutes (EMAIL_RETRY_SECONDS)."""
    return timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** (attempt - 1))
