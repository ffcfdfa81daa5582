"""A case booked into a slot, who is invited to hear it, and the papers for it."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .members import PanelRole
from .sessions import PanelSlot


class PanelBooking(models.Model):
    """A case booked into a slot: the bespoke invitation list, papers, minutes and actions hang here."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HEARD = "heard", "Heard"
        CANCELLED = "cancelled", "Cancelled"

    slot = models.ForeignKey(PanelSlot, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="panel_bookings"
    )
    triage_record = models.ForeignKey(
        "triage.TriageRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_bookings",
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="panel_bookings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["slot__starts_at"]
        permissions = [("view_panel_case", "Can open a panel case they are invited to or hold")]
        constraints = [
            # The double-booking guard: two administrators booking the same slot at once.
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status__in=["booked", "heard"]),
                name="panel_booking_one_case_per_slot",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="booked"),
                name="panel_booking_one_upcoming_per_person",
            ),
        ]

    def __str__(self):
        return f"Panel booking {self.pk}"


class PanelInvitee(models.Model):
    """Someone invited to hear one case: staff, or an external invitee with no account."""

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        DEPUTY = "deputy", "Sent a deputy"
        APOLOGIES = "apologies", "Apologies"

    booking = models.ForeignKey(PanelBooking, on_delete=models.CASCADE, related_name="invitees")
    role = models.ForeignKey(PanelRole, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    suggested_because = models.CharField(max_length=200, blank=True)
    deputy_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deputy_name = models.CharField(max_length=200, blank=True)
    deputy_email = models.EmailField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | (~models.Q(name="") & ~models.Q(email="")),
                name="panel_invitee_staff_or_named_external",
            ),
            models.UniqueConstraint(
                fields=["booking", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="panel_invitee_once_per_staff",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() if self.user_id else self.name

    @property
    def address(self) -> str:
        return self.user.email if self.user_id else self.email

    @property
    def deputy_display_name(self) -> str:
        return self.deputy_user.get_full_name() if self.deputy_user_id else self.deputy_name

    @property
    def deputy_address(self) -> str:
        return self.deputy_user.email if self.deputy_user_id else self.deputy_email


def _paper_path(instance, filename) -> str:
    # A generated name: nothing the uploader typed reaches the file system.
    return f"panel-papers/{uuid.uuid4().hex}"


class PanelPaper(models.Model):
    """A paper for the panel, stored outside the static files under a generated name."""

    booking = models.ForeignKey(PanelBooking, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_paper_path, max_length=200)
    kind = models.CharField(max_length=10)  # pdf, docx, odt, txt: from the content
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title
