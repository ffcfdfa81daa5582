import uuid

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task; /healthz reports its age."""

    worker = models.CharField(max_length=200, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class AccessLogEntry(models.Model):
    """One consultation, collection, alteration, disclosure, combination or erasure of a person's data.

    Section 62 of the Data Protection Act 2018. Append-only: a database trigger refuses
    UPDATE and DELETE (see migration 0002). Holds the person's id and CRN, not a foreign
    key, so the log outlives an erased record; never holds the content itself.
    """

    class Action(models.TextChoices):
        CONSULTATION = "consultation", "Consultation"
        COLLECTION = "collection", "Collection"
        ALTERATION = "alteration", "Alteration"
        DISCLOSURE = "disclosure", "Disclosure"
        COMBINATION = "combination", "Combination"
        ERASURE = "erasure", "Erasure"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        "organisation.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_crn = models.CharField(max_length=7, blank=True)
    record_type = models.CharField(max_length=60)
    record_id = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)
    recipient = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "access log entries"
        permissions = [
            ("export_access_log", "Can export the access log"),
            ("subject_access", "Can produce a subject access report about a person"),
        ]
        indexes = [models.Index(fields=["user", "-at"], name="access_log_user_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type} {self.person_crn}"


class EmailDelivery(models.Model):
    """One email to one recipient: the outbox row written with the change, then its delivery.

    `email_queue` writes a queued row per recipient in the transaction of the change the email
    reports, so the email exists exactly when the change does (ADR 0051). A worker delivers it
    (`deliver_email`) and records the outcome here: sent (with Notify's id) or failed (with the
    reason), and each attempt. The rows of one email share `email_id`. Linked to the email's
    access-log disclosure row when the email is about a person, so the Notify id of each send
    sits beside the record of what was disclosed to whom.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # No database constraint: the access log's retention job deletes old rows on its own terms.
    disclosure = models.ForeignKey(
        AccessLogEntry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # The email this recipient's row is part of (rows from before the outbox: the task's id).
    email_id = models.CharField(max_length=64, blank=True, db_index=True)
    template = models.CharField(max_length=60, blank=True)
    recipient = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices)
    notify_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # What to send: links, dates and counts, never a name or a CRN (core/email_templates.py).
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    personalisation = models.JSONField(default=dict, blank=True)
    # (filename, base64 content, MIME type): a calendar invitation. Emptied once sent.
    attachments = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A queued email is handed to a worker again from this time (the relay, every minute).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "email deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="email_delivery_waiting",
            )
        ]

    def __str__(self):
        return f"{self.template or 'email'} {self.status} {self.notify_id}"


class TaskRun(models.Model):
    """One run of a background job that must happen: an outbox row, then what became of it.

    Work that a change asks for (an extract upload's import) is written here in the change's
    transaction and handed to the broker after commit, or by the relay if the broker was away.
    The scheduled jobs get a row when they start. Each row's id is its Celery task id, so the
    worker records each attempt, success or final failure here, for the system administrator
    to see (Django admin, "Task runs") and run again (ADR 0052).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200)
    # Ids and dates only (tasks take ids: complexcases/celery.py), never personal data.
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="task_run_waiting",
            )
        ]

    def __str__(self):
        return f"{self.task.rsplit('.', 1)[-1]} {self.status}"


class CalendarFile(models.Model):
    """A calendar invitation sent through GOV.UK Notify as a signed, expiring link.

    Notify's send-a-file does not take .ics files, so the email links here instead. The file
    holds the meeting time, staff attendees and a link to the service: never a person's details.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content = models.TextField()
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"Calendar file until {self.expires_at:%Y-%m-%d}"
