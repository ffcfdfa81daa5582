"""Joint case work on the OPD pathway: an episode with an aim, its contacts, and practitioner feedback.

Recorded distinctly from plain case consultation so the two can be counted apart
(DOMAIN.md "Joint case work"; the JCW evaluation's recommendations).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .reference import MAX_PLANNED_SESSIONS, SESSIONS_WITHOUT_REASON


class ActivityType(models.Model):
    """Reference data: what a piece of joint case work involved (the evaluation's survey, Appendix A)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150, unique=True)
    needs_description = models.BooleanField(
        default=False, help_text="A contact with this activity must say what it was ('Other')"
    )
    position = models.PositiveSmallIntegerField(default=100)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class JcwEpisode(models.Model):
    """A brief intervention (normally 1 to 6 sessions) by an OPD clinician with the practitioner."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", "Aim achieved"
        PARTLY_ACHIEVED = "partly_achieved", "Aim partly achieved"
        NOT_ACHIEVED = "not_achieved", "Aim not achieved"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="jcw_episodes"
    )
    # Where the work was done, kept for the counts: a person moving PDU later does not move them.
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="PDU",
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jcw_episodes_as_clinician",
        verbose_name="OPD clinician",
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jcw_episodes_as_practitioner",
    )
    opd_screened_in = models.BooleanField("screened in to the OPD pathway when opened")
    not_screened_in_reason = models.TextField(
        "why joint case work although not screened in", max_length=1000, blank=True
    )
    dilemma = models.TextField("the dilemma to solve", max_length=2000, blank=True)
    desired_outcome = models.TextField("the desired outcome", max_length=2000, blank=True)
    planned_sessions = models.PositiveSmallIntegerField("sessions planned")
    extra_sessions_reason = models.TextField(
        "why more than six sessions", max_length=1000, blank=True
    )
    started_on = models.DateField("start date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(max_length=2000, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = "joint case work episode"
        permissions = [
            ("view_all_jcw", "Can see every joint case work episode (the Complex Cases team)"),
            ("view_jcw_counts", "Can see joint case work counts for their team or PDU"),
        ]
        indexes = [
            models.Index(fields=["clinician", "status"], name="jcw_episode_clinician_status"),
            models.Index(fields=["pdu", "started_on"], name="jcw_episode_pdu_started"),
        ]
        constraints = [
            # Two clinicians (or two clicks) cannot open two episodes for the same person at once.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="jcw_episode_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    planned_sessions__gte=1, planned_sessions__lte=MAX_PLANNED_SESSIONS
                )
                & (
                    models.Q(planned_sessions__lte=SESSIONS_WITHOUT_REASON)
                    | ~models.Q(extra_sessions_reason="")
                ),
                name="jcw_episode_more_than_six_sessions_has_reason",
            ),
            models.CheckConstraint(
                condition=(models.Q(dilemma="") & models.Q(desired_outcome=""))
                | (~models.Q(dilemma="") & ~models.Q(desired_outcome="")),
                name="jcw_episode_aim_is_dilemma_and_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(opd_screened_in=True) | ~models.Q(not_screened_in_reason=""),
                name="jcw_episode_screened_in_or_reason",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="open", outcome="", closed_on__isnull=True)
                    | (
                        models.Q(status="closed", closed_on__isnull=False)
                        & ~models.Q(outcome="")
                        & models.Q(closed_on__gte=models.F("started_on"))
                    )
                ),
                name="jcw_episode_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return f"Joint case work episode {self.pk}"

    @property
    def has_aim(self) -> bool:
        return bool(self.dilemma and self.desired_outcome)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class JcwContact(models.Model):
    """One contact within an episode: direct or indirect joint case work, or a plain case consultation."""

    class ContactType(models.TextChoices):
        DIRECT = "direct", "Direct joint case work"
        INDIRECT = "indirect", "Indirect joint case work"
        CONSULTATION = "consultation", "Case consultation"

    JCW_TYPES = (ContactType.DIRECT, ContactType.INDIRECT)

    episode = models.ForeignKey(JcwEpisode, on_delete=models.PROTECT, related_name="contacts")
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    occurred_at = models.DateTimeField("date and time")
    # The session's place in the episode: joint case work only, a consultation is not a session.
    session_number = models.PositiveSmallIntegerField(null=True, blank=True)
    extra_session_reason = models.TextField(
        "why a session beyond the sixth", max_length=1000, blank=True
    )
    clinician_took_part = models.BooleanField("the OPD clinician took part", default=True)
    practitioner_took_part = models.BooleanField("the practitioner took part", default=True)
    others_took_part = models.CharField("others who took part", max_length=300, blank=True)
    activity_types = models.ManyToManyField(
        ActivityType, through="JcwContactActivity", related_name="contacts"
    )
    other_activity = models.CharField("the other activity", max_length=300, blank=True)
    notes = models.TextField(max_length=5000)
    next_steps = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    practitioner_view = models.TextField("the practitioner's view", max_length=3000, blank=True)
    practitioner_view_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    practitioner_view_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = "joint case work contact"
        permissions = [
            (
                "add_practitioner_view",
                "Can add the practitioner's view to a joint case work contact",
            ),
        ]
        indexes = [models.Index(fields=["occurred_at"], name="jcw_contact_occurred_at")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contact_type="consultation", session_number__isnull=True)
                    | (
                        models.Q(contact_type__in=["direct", "indirect"])
                        & models.Q(session_number__gte=1)
                    )
                ),
                name="jcw_contact_sessions_are_joint_case_work",
            ),
            models.UniqueConstraint(
                fields=["episode", "session_number"], name="jcw_contact_session_number_unique"
            ),
            # The seventh session (and any after it) needs a recorded reason.
            models.CheckConstraint(
                condition=models.Q(session_number__isnull=True)
                | models.Q(session_number__lte=SESSIONS_WITHOUT_REASON)
                | ~models.Q(extra_session_reason=""),
                name="jcw_contact_seventh_session_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(clinician_took_part=True)
                | models.Q(practitioner_took_part=True)
                | ~models.Q(others_took_part=""),
                name="jcw_contact_someone_took_part",
            ),
            models.CheckConstraint(
                condition=models.Q(practitioner_view="")
                | models.Q(practitioner_view_by__isnull=False, practitioner_view_at__isnull=False),
                name="jcw_contact_practitioner_view_has_author",
            ),
        ]

    def __str__(self):
        return f"Joint case work contact {self.pk}"

    @property
    def is_joint_case_work(self) -> bool:
        return self.contact_type in self.JCW_TYPES

    @property
    def person(self):
        return self.episode.person


class JcwContactActivity(models.Model):
    """One activity type a contact involved; a contact may involve several."""

    contact = models.ForeignKey(JcwContact, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="contact_activities"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity_type__position", "activity_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "activity_type"], name="jcw_contact_activity_once"
            )
        ]

    def __str__(self):
        return f"{self.activity_type} on contact {self.contact_id}"


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label)


class JcwFeedback(models.Model):
    """The practitioner's feedback after a contact or at the end of an episode: free text and ratings."""

    class Stage(models.TextChoices):
        AFTER_CONTACT = "after_contact", "After a contact"
        END_OF_EPISODE = "end_of_episode", "At the end of the joint case work"

    episode = models.ForeignKey(JcwEpisode, on_delete=models.PROTECT, related_name="feedback")
    contact = models.ForeignKey(
        JcwContact, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)
    worked_well = models.TextField("what worked well", max_length=3000, blank=True)
    did_not_work = models.TextField("what did not work well", max_length=3000, blank=True)
    # The evaluation's statements, each on its five-point agreement scale (reference.RATING_STATEMENTS).
    understanding = _rating("clear understanding of what joint case work is")
    practice_impact = _rating("positive impact on my practice")
    apply_skills = _rating("can apply skills to other areas of practice")
    important = _rating("important part of my work")
    risk_management = _rating("positive impact on risk management")
    confidence_before = _rating("confidence working with this person before")
    confidence_after = _rating("confidence working with this person after")
    history = HistoricalRecords()

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = "joint case work feedback"
        verbose_name_plural = "joint case work feedback"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{
                        f"{field}__{lookup}": bound
                        for field in (
                            "understanding",
                            "practice_impact",
                            "apply_skills",
                            "important",
                            "risk_management",
                            "confidence_before",
                            "confidence_after",
                        )
                        for lookup, bound in (("gte", 1), ("lte", 5))
                    }
                ),
                name="jcw_feedback_ratings_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="after_contact", contact__isnull=False)
                | models.Q(stage="end_of_episode", contact__isnull=True),
                name="jcw_feedback_contact_when_after_contact",
            ),
            # One set of feedback per person per contact, and one at the end: a double click makes one.
            models.UniqueConstraint(
                fields=["contact", "given_by"],
                condition=models.Q(contact__isnull=False),
                name="jcw_feedback_once_per_contact",
            ),
            models.UniqueConstraint(
                fields=["episode", "given_by"],
                condition=models.Q(stage="end_of_episode"),
                name="jcw_feedback_once_at_end",
            ),
        ]

    def __str__(self):
        return f"Joint case work feedback {self.pk}"
