"""The case: the spine that a person's triage requests, panel bookings, actions, follow-ups
and closure hang on (docs/cases.md)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Case(models.Model):
    """One person's journey on the pathway. At most one case per person is open at a time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Triage requested"
        TRIAGE_SCHEDULED = "triage_scheduled", "Triage scheduled"
        TRIAGE_HELD = "triage_held", "Triage held, outcome to record"
        AWAITING_PANEL = "awaiting_panel", "Waiting for a panel slot"
        BOOKED = "booked", "Booked into a panel"
        HEARD = "heard", "Heard at panel"
        IN_FOLLOW_UP = "in_follow_up", "In follow-up"
        CLOSED = "closed", "Closed"

    class ClosedReason(models.TextChoices):
        GUIDANCE = "guidance", "Closed with guidance at triage"
        REDIRECTED = "redirected", "Redirected at triage"
        WITHDRAWN = "withdrawn", "Request withdrawn"
        CANCELLED = "cancelled", "Triage cancelled"
        PATHWAY_CLOSED = "pathway_closed", "Closed on the pathway after panel"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        permissions = [("view_case_page", "Can open the case page of a person they may see")]
        indexes = [models.Index(fields=["status", "status_changed_at"], name="case_status")]
        constraints = [
            # One open case per person: a second request is refused, two racing requests too.
            models.UniqueConstraint(
                fields=["person"],
                condition=~models.Q(status="closed"),
                name="case_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_at__isnull=False) & ~models.Q(closed_reason="")
                )
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True, closed_reason="")),
                name="case_closed_has_when_and_why",
            ),
            # Time runs forwards.
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True)
                | models.Q(closed_at__gte=models.F("opened_at")),
                name="case_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def status_tag_colour(self) -> str:
        return STATUS_TAG_COLOURS[self.status]


# GOV.UK tag colours, by status (docs/cases.md).
STATUS_TAG_COLOURS = {
    Case.Status.REQUESTED: "blue",
    Case.Status.TRIAGE_SCHEDULED: "light-blue",
    Case.Status.TRIAGE_HELD: "yellow",
    Case.Status.AWAITING_PANEL: "orange",
    Case.Status.BOOKED: "purple",
    Case.Status.HEARD: "turquoise",
    Case.Status.IN_FOLLOW_UP: "green",
    Case.Status.CLOSED: "grey",
}
