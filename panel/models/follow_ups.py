"""After panel: the QDO's check-ins and their early outcomes, closing the pathway, and the
reminder digests."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .actions import PanelAction
from .bookings import PanelBooking


class EarlyOutcome(models.Model):
    """Reference data: early outcomes a follow-up can record (DOMAIN.md "Outcomes and learning")."""

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=100)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class FollowUp(models.Model):
    """A QDO's check-in after panel: action progress, developments, the practitioner's
    wellbeing, whether more support is needed, and early outcomes."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Wellbeing(models.TextChoices):
        STRUGGLING = "struggling", "Struggling"
        UNDER_PRESSURE = "under_pressure", "Under pressure"
        MANAGING = "managing", "Managing"
        WELL = "well", "Doing well"

    class FurtherSupport(models.TextChoices):
        NONE = "none", "No further support needed"
        TRIAGE = "triage", "Back to triage"
        PANEL = "panel", "To the next panel"

    booking = models.ForeignKey(PanelBooking, on_delete=models.PROTECT, related_name="follow_ups")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    qdo = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    developments = models.TextField(max_length=3000, blank=True)
    wellbeing = models.CharField(max_length=20, choices=Wellbeing.choices, blank=True)
    wellbeing_notes = models.TextField(max_length=2000, blank=True)
    further_support = models.CharField(max_length=10, choices=FurtherSupport.choices, blank=True)
    early_outcomes = models.ManyToManyField(EarlyOutcome, blank=True, related_name="follow_ups")
    other_outcome = models.CharField(max_length=300, blank=True)
    held_on = models.DateField("date the check-in was held", null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        permissions = [
            ("reassign_work", "Can move a leaver's actions, follow-ups and caseload to colleagues"),
        ]
        indexes = [models.Index(fields=["qdo", "status", "due_on"], name="follow_up_qdo")]
        constraints = [
            models.UniqueConstraint(fields=["booking", "number"], name="follow_up_number"),
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | (~models.Q(wellbeing="") & ~models.Q(further_support="")),
                name="follow_up_completed_has_wellbeing_and_support",
            ),
            # A completed check-in says when it was held (recorded on the day or after it).
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(held_on__isnull=False),
                name="follow_up_completed_has_held_on",
            ),
        ]

    def __str__(self):
        return f"Follow-up {self.number} for panel booking {self.booking_id}"


class FollowUpActionProgress(models.Model):
    """What the check-in found about one of the case's actions."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="progress")
    action = models.ForeignKey(PanelAction, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "action"], name="follow_up_progress_once")
        ]

    def __str__(self):
        return f"Progress on action {self.action_id}"


class PathwayClosure(models.Model):
    """The case leaves the Complex Cases pathway, with a reason."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booking = models.ForeignKey(
        PanelBooking, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Pathway closed for person {self.person_id}"


class ReminderDigest(models.Model):
    """One digest email per person per day: the unique constraint makes a second run a no-op."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_digest_once_a_day")
        ]

    def __str__(self):
        return f"Reminder digest for {self.user_id} on {self.day}"
