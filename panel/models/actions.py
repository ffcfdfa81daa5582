"""Actions agreed at panel, and the progress notes on them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .bookings import PanelBooking


class PanelAction(models.Model):
    """An action agreed at panel: an owner, a due date and progress to an outcome."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "No longer needed"

    booking = models.ForeignKey(PanelBooking, on_delete=models.PROTECT, related_name="actions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    description = models.TextField(max_length=1000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_actions_owned",
    )
    owner_name = models.CharField("external owner's name", max_length=200, blank=True)
    owner_organisation = models.CharField(max_length=200, blank=True)
    owner_email = models.EmailField(blank=True)
    # For an owner outside the service: the member of staff who chases the action.
    chaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_actions_chased",
    )
    agreed_on = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    outcome_note = models.TextField(max_length=2000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="panel_action_owner"),
            models.Index(fields=["chaser", "status", "due_date"], name="panel_action_chaser"),
            models.Index(fields=["person", "status"], name="panel_action_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False)
                | (~models.Q(owner_name="") & models.Q(chaser__isnull=False)),
                name="panel_action_owner_or_external_with_chaser",
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__gt=models.F("agreed_on")),
                name="panel_action_due_after_panel",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(outcome_note=""),
                name="panel_action_closed_with_outcome",
            ),
        ]

    def __str__(self):
        return f"Panel action {self.pk}"

    @property
    def owner_display(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name()
        organisation = f", {self.owner_organisation}" if self.owner_organisation else ""
        return f"{self.owner_name}{organisation}"


class PanelActionUpdate(models.Model):
    """A progress note on an action, by its owner, chaser or the Complex Cases team."""

    action = models.ForeignKey(PanelAction, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField(max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"Update on action {self.action_id}"
