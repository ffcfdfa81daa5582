"""The minutes of one case's slot, and every finalised version of them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .bookings import PanelBooking


class PanelMinutes(models.Model):
    """The minutes of one case's slot, following the agenda. Draft, then final; a change
    after finalising makes a new version, and every finalised version stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    booking = models.OneToOneField(PanelBooking, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    mappa_reminder_given = models.BooleanField(default=False)
    introductions = models.TextField(max_length=3000, blank=True)
    case_overview = models.TextField(max_length=5000, blank=True)
    questions_and_reflections = models.TextField(max_length=5000, blank=True)
    member_support = models.TextField(max_length=5000, blank=True)
    chair_summary = models.TextField(max_length=5000, blank=True)
    final_questions = models.TextField(max_length=3000, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    TEXT_FIELDS = (
        "introductions",
        "case_overview",
        "questions_and_reflections",
        "member_support",
        "chair_summary",
        "final_questions",
    )

    class Meta:
        verbose_name_plural = "panel minutes"

    def __str__(self):
        return f"Minutes for panel booking {self.booking_id}"


class PanelMinutesVersion(models.Model):
    """A finalised version of the minutes, as it was, with who finalised it and why it changed."""

    minutes = models.ForeignKey(PanelMinutes, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    attendance = models.JSONField()
    reason = models.CharField(max_length=500, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="panel_minutes_version"),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(reason=""),
                name="panel_minutes_version_reason_after_first",
            ),
        ]

    def __str__(self):
        return f"Version {self.number}"
