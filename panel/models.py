"""The multi-agency panel: sessions and their slots, the cases booked into them, who is
invited, the papers, the minutes and the actions agreed."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class PanelRole(models.Model):
    """Reference data: a seat at the panel (chair, head of PDU, OPD lead…). Core seats are
    invited to every case; the others are suggested by the case's characteristics."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    core = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=100)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class PanelMember(models.Model):
    """Who holds a panel seat in a region: a member of staff, or someone outside the service.
    A head of PDU seat names the PDU it covers."""

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="panel_members"
    )
    role = models.ForeignKey(PanelRole, on_delete=models.PROTECT, related_name="members")
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["role__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | (~models.Q(name="") & ~models.Q(email="")),
                name="panel_member_staff_or_named_external",
            )
        ]

    def __str__(self):
        return f"{self.role}: {self.user.get_full_name() if self.user_id else self.name}"


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
