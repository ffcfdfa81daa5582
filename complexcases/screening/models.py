"""Monthly extracts, each person's screening against the eight criteria, and the monthly list."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from simple_history.models import HistoricalRecords

from .rules import ROSH_LEVELS, RULE_VERSION


class Extract(models.Model):
    """One monthly nDelius/OASys extract, imported whole."""

    extract_date = models.DateField(unique=True, help_text="The 'as at' date of every row")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    row_count = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-extract_date"]
        permissions = [("import_extract", "Can import a monthly extract")]

    def __str__(self):
        return f"Extract as at {self.extract_date:%-d %B %Y}"


class ExtractUpload(models.Model):
    """A file uploaded in the browser, imported by a background task that reports progress."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        SAVING = "saving", "Saving"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Not imported"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to="extract-uploads/", blank=True)
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    extract = models.ForeignKey(Extract, on_delete=models.SET_NULL, null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.IMPORTED, self.Status.REJECTED, self.Status.FAILED)

    @property
    def percent_checked(self) -> int:
        if self.status in (self.Status.SAVING, self.Status.IMPORTED):
            return 100
        return int(100 * self.rows_checked / self.rows_total) if self.rows_total else 0


class Screening(models.Model):
    """A person's source values and the criteria they met (the evidence, kept), from the
    extract that first had them until the first later extract that did not (ADR 0018).

    One row per change, not per month: an extract in which a person's values, PDU and rule
    version are as before writes nothing. The row is in force for an extract as at D when
    `as_at <= D < until` (no `until`: still in force).
    """

    # No single-column indexes on these foreign keys: at 250,000 rows a month every index
    # is written by every import, and the composite indexes below lead with person and
    # extract (ADR 0015). A PDU is archived, not deleted, so nothing looks screenings up by PDU alone.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="screenings", db_index=False
    )
    extract = models.ForeignKey(
        Extract, on_delete=models.PROTECT, related_name="screenings", db_index=False
    )
    as_at = models.DateField(help_text="The as-at date of the extract that first had these values.")
    until = models.DateField(
        null=True,
        blank=True,
        help_text="The as-at date of the first later extract without them (changed, or the "
        "person not in it); empty while they are still the latest.",
    )
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rule_version = models.PositiveSmallIntegerField(default=RULE_VERSION)
    rosh_level = models.CharField(
        max_length=10, blank=True, choices=[(level, level) for level in ROSH_LEVELS]
    )
    reg_mental_health_issues = models.BooleanField()
    reg_mentally_disordered_offender = models.BooleanField()
    oasys_10_psychological_problems = models.BooleanField()
    oasys_10_psychiatric_problems = models.BooleanField()
    reg_suicide_self_harm = models.BooleanField()
    oasys_10_5_self_harm = models.BooleanField()
    rosh_r3_self_harm = models.BooleanField()
    oasys_4_8_learning_difficulties = models.PositiveSmallIntegerField()
    mappa_level = models.PositiveSmallIntegerField(null=True, blank=True)
    mappa_category = models.PositiveSmallIntegerField(null=True, blank=True)
    opd_screened_in = models.BooleanField()
    oasys_alcohol_need = models.BooleanField()
    oasys_drugs_need = models.BooleanField()
    sentence_type = models.CharField(max_length=20)
    criteria_met = ArrayField(models.PositiveSmallIntegerField())
    criteria_met_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-as_at"]
        constraints = [
            # Extract first: an import's rows then go in at the end of this index.
            models.UniqueConstraint(
                fields=["extract", "person"], name="screening_once_per_person_per_extract"
            ),
            # One version in force per person: the import closes the old one as it adds the new.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(until__isnull=True),
                name="screening_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gt=models.F("as_at")),
                name="screening_until_after_as_at",
            ),
            models.CheckConstraint(
                condition=models.Q(criteria_met_count__gte=0, criteria_met_count__lte=8),
                name="screening_count_0_to_8",
            ),
            models.CheckConstraint(
                condition=models.Q(oasys_4_8_learning_difficulties__in=[0, 1, 2]),
                name="screening_oasys_4_8_values",
            ),
            models.CheckConstraint(
                condition=models.Q(mappa_level__isnull=True) | models.Q(mappa_level__in=[1, 2, 3]),
                name="screening_mappa_level_values",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-as_at"], name="screening_person_latest"),
        ]

    def __str__(self):
        return f"{self.person_id} as at {self.as_at}: {self.criteria_met_count} criteria"

    @property
    def is_current(self) -> bool:
        return self.until is None

    @property
    def source_values(self) -> dict:
        from .rules import SOURCE_COLUMNS

        return {column: getattr(self, column) for column in SOURCE_COLUMNS}


class MonthlyList(models.Model):
    """The people meeting the threshold in one PDU for one month. Once generated, it stays as it was."""

    month = models.DateField(help_text="The first day of the month")
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit", on_delete=models.PROTECT, related_name="monthly_lists"
    )
    extract = models.ForeignKey(Extract, on_delete=models.PROTECT, related_name="monthly_lists")
    threshold = models.PositiveSmallIntegerField()
    rule_version = models.PositiveSmallIntegerField(default=RULE_VERSION)
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "pdu__name"]
        permissions = [("generate_monthly_list", "Can generate the monthly list")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "pdu"], name="monthly_list_once_per_month_per_pdu"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="monthly_list_month_is_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.pdu} — {self.month:%B %Y}"


class MonthlyListEntry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New this month"
        LISTED_AGAIN = "listed_again", "Listed again"
        NO_LONGER_LISTED = "no_longer_listed", "No longer listed"

    monthly_list = models.ForeignKey(MonthlyList, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="list_entries"
    )
    screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        verbose_name_plural = "monthly list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["monthly_list", "person"], name="monthly_list_entry_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.status}"


class ReflectiveConversation(models.Model):
    """The practitioner and SPO talked about a listed case this month."""

    class Outcome(models.TextChoices):
        NO_FURTHER_SUPPORT = "no_further_support", "No further support needed"
        WILL_REQUEST_TRIAGE = "will_request_triage", "Practitioner will request triage"

    entry = models.OneToOneField(
        MonthlyListEntry, on_delete=models.PROTECT, related_name="reflective_conversation"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="reflective_conversations"
    )
    held_on = models.DateField()
    spo = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="SPO"
    )
    notes = models.TextField(max_length=2000)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"Reflective conversation on {self.held_on}"


class PathwayOverride(models.Model):
    """A person below the threshold marked for the pathway, with the reason (so the criteria can be tested)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="pathway_overrides"
    )
    reason = models.TextField(max_length=1000)
    criteria_met_count = models.PositiveSmallIntegerField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-marked_at"]

    def __str__(self):
        return f"Override for {self.person_id}"
