"""When the panel sits: recurring patterns, the sessions they make, and each session's slots."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class PanelPattern(models.Model):
    """A recurring panel, e.g. "first Monday of each month, 10am, four 45-minute slots"."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"

    class Week(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = 5, "Last"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="panel_patterns"
    )
    week = models.PositiveSmallIntegerField(choices=Week.choices)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    slot_count = models.PositiveSmallIntegerField(default=4)
    slot_minutes = models.PositiveSmallIntegerField(default=45)
    months_ahead = models.PositiveSmallIntegerField(default=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "week", "weekday"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_count__gte=1, slot_count__lte=8),
                name="panel_pattern_slot_count",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=15, slot_minutes__lte=120),
                name="panel_pattern_slot_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(months_ahead__gte=1, months_ahead__lte=12),
                name="panel_pattern_months_ahead",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def description(self) -> str:
        from complexcases.core.formatting import govuk_clock

        return (
            f"{self.get_week_display()} {self.get_weekday_display()} of each month, "
            f"{govuk_clock(self.start_time)}, {self.slot_count} "
            f"{self.slot_minutes}-minute slot{'s' if self.slot_count != 1 else ''}"
        )


class PanelSession(models.Model):
    """One sitting of the panel in a region; each slot can hold one case."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="panel_sessions"
    )
    pattern = models.ForeignKey(
        PanelPattern, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    # For a session made by a pattern: the month it is for, so a second run makes nothing new.
    pattern_month = models.DateField(null=True, blank=True)
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    change_reason = models.CharField(max_length=500, blank=True)
    papers_released_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_at"]
        permissions = [
            ("manage_panel", "Can run panels: sessions, bookings, invitations, papers, minutes"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="panel_session_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern", "pattern_month"], name="panel_session_once_per_pattern_month"
            ),
            models.CheckConstraint(
                condition=models.Q(pattern__isnull=True) | models.Q(pattern_month__isnull=False),
                name="panel_session_pattern_has_month",
            ),
        ]

    def __str__(self):
        return f"Panel session {self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class PanelSlot(models.Model):
    """A time within a session for one case, usually 45 minutes."""

    session = models.ForeignKey(PanelSession, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="panel_slot_position"),
        ]

    def __str__(self):
        return f"Slot {self.position} of session {self.session_id}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)
