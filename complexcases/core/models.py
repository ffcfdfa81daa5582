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
