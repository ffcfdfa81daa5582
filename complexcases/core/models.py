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
    """One email handed to (or refused by) the mail service, for one recipient.

    Linked to the email's access-log disclosure row when the email is about a person, so the
    Notify id of each send sits beside the record of what was disclosed to whom.
    """

    class Status(models.TextChoices):
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
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    template = models.CharField(max_length=60, blank=True)
    recipient = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices)
    notify_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "email deliveries"

    def __str__(self):
        return f"{self.template or 'email'} {self.status} {self.notify_id}"


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
