"""Triage: a practitioner's short request, the meeting, and what it found."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Theme(models.Model):
    """Reference data: themes that blockers are tagged with (DOMAIN.md). Administrators can add more."""

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=100)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class TriageRequest(models.Model):
    """A practitioner (or SPO) asks the Complex Cases team for a triage meeting."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Awaiting outcome"
        OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CANCELLED = "cancelled", "Cancelled"

    class RequesterRole(models.TextChoices):
        PRACTITIONER = "practitioner", "Probation practitioner"
        SPO = "spo", "Senior probation officer"
        # The Complex Cases team opens the case for a practitioner who asked by phone or email.
        TEAM = "team", "Complex Cases team, for the practitioner"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="triage_requests"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="triage_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requester_role = models.CharField(max_length=20, choices=RequesterRole.choices)
    blockers = models.TextField("what is making the case complex or stuck", max_length=1500)
    tried = models.TextField("what has been tried", max_length=1500)
    support_sought = models.TextField("what support is being sought", max_length=1500)
    urgent = models.BooleanField(default=False)
    below_threshold_reason = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_reason = models.TextField(max_length=1000, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-urgent", "requested_at"]
        permissions = [
            ("manage_triage", "Can run triage: assign, schedule and record outcomes"),
            ("view_triage_queue", "Can see every triage request (the Complex Cases team's queue)"),
            ("withdraw_triagerequest", "Can withdraw a triage request on their caseload"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="triage_request_status")]
        constraints = [
            # One open request per person: two clicks or two practitioners cannot make two.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["requested", "scheduled", "held"]),
                name="triage_request_one_open_per_person",
            )
        ]

    def __str__(self):
        return f"Triage request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.SCHEDULED, self.Status.HELD)


class TriageMeeting(models.Model):
    """The 45-minute meeting. Rescheduling keeps the calendar UID and raises SEQUENCE."""

    request = models.OneToOneField(TriageRequest, on_delete=models.CASCADE, related_name="meeting")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    reschedule_reason = models.CharField(max_length=500, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=240),
                name="triage_meeting_duration",
            )
        ]

    def __str__(self):
        return f"Triage meeting at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)


class TriageInvitee(models.Model):
    """Someone invited to the meeting: a member of staff, or an external invitee such as the POM."""

    meeting = models.ForeignKey(TriageMeeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=100)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | (~models.Q(name="") & ~models.Q(email="")),
                name="triage_invitee_staff_or_named_external",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], name="triage_invitee_once_per_staff"
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


class TriageRecord(models.Model):
    """What the triage meeting found and decided."""

    class Outcome(models.TextChoices):
        CLOSED_WITH_GUIDANCE = "closed_with_guidance", "Closed with guidance"
        REFER_TO_PANEL = "refer_to_panel", "Refer to panel"
        REDIRECT = "redirect", "Redirect"

    class RedirectTo(models.TextChoices):
        MAPPA = "mappa", "MAPPA"
        OPD_CONSULTATION = "opd_consultation", "OPD consultation"
        OTHER = "other", "Other"

    request = models.OneToOneField(TriageRequest, on_delete=models.PROTECT, related_name="record")
    guidance = models.TextField(max_length=3000)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    panel_ask = models.TextField(
        "what the panel is asked to help with", max_length=1500, blank=True
    )
    redirect_to = models.CharField(max_length=20, choices=RedirectTo.choices, blank=True)
    redirect_reason = models.TextField(max_length=1500, blank=True)
    notes = models.TextField(max_length=3000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="refer_to_panel") | ~models.Q(panel_ask=""),
                name="triage_record_panel_ask_when_referred",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="redirect")
                | (~models.Q(redirect_to="") & ~models.Q(redirect_reason="")),
                name="triage_record_redirect_has_where_and_why",
            ),
        ]

    def __str__(self):
        return f"Triage outcome: {self.get_outcome_display()}"


class TriageBlocker(models.Model):
    """One blocker the triage identified, as a short line, tagged with themes."""

    record = models.ForeignKey(
        TriageRecord, on_delete=models.CASCADE, related_name="blockers_found"
    )
    description = models.CharField(max_length=300)
    themes = models.ManyToManyField(Theme, related_name="blockers")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.description
