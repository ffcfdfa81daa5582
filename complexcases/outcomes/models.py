"""Outcomes after the panel and what makes a complex case: anonymous summaries, no person in them.

The pages read these tables only (ADR 0054). `outcomes_refresh` rebuilds them after each
extract import and every night, in one transaction: the figures for every area (every
region, each region, each PDU), the criteria groups and the latest screenings' counts.
Nothing here links to a person, a case or a booking, so nothing here is about anyone.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class OutcomesRefresh(models.Model):
    """One rebuild of the summaries: when, from which extracts, and with which settings."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    latest_extract = models.DateField(null=True, blank=True)
    window_start = models.DateField(
        null=True, blank=True, help_text="The first extract date of the criteria window"
    )
    threshold = models.PositiveSmallIntegerField()
    seed = models.CharField(max_length=40)
    replicates = models.PositiveIntegerField()
    comparison_per_case = models.PositiveSmallIntegerField()
    heard_cases = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        get_latest_by = "finished_at"
        permissions = [
            (
                "view_outcomes",
                "Can see outcomes after the panel, what makes a complex case and the threshold what-if",
            )
        ]

    def __str__(self):
        return f"Outcomes refreshed at {self.finished_at:%Y-%m-%d %H:%M}"


class Area(models.TextChoices):
    NATIONAL = "national", "Every region"
    REGION = "region", "Region"
    PDU = "pdu", "PDU"


class OutcomeFigure(models.Model):
    """One measure for one group of heard cases at one point after the hearing.

    A group is an area (every region, a region or a PDU, by the PDU of the case's screening at
    the hearing) and optionally a triage theme. `horizon` is months after the hearing; 0 holds
    figures about the cases themselves (heard, matched, early outcomes, actions).

    "All heard cases" columns count every heard case observed at the horizon; "matched"
    columns only those with comparison people, beside those people's figures, the mean
    difference and its 95% bootstrap interval (ADR 0053). Percentages and differences of
    percentages are in points (0 to 100); averages are as they are.
    """

    area = models.CharField(max_length=10, choices=Area.choices)
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    theme = models.ForeignKey(
        "triage.Theme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    horizon = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=40)
    cases = models.PositiveIntegerField(default=0)
    heard_base = models.PositiveIntegerField(default=0)
    heard_count = models.PositiveIntegerField(null=True, blank=True)
    heard_value = models.FloatField(null=True, blank=True)
    matched = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(null=True, blank=True)
    matched_value = models.FloatField(null=True, blank=True)
    comparison_value = models.FloatField(null=True, blank=True)
    comparison_people = models.PositiveIntegerField(default=0)
    comparison_count = models.PositiveIntegerField(null=True, blank=True)
    difference = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["area", "region", "pdu", "horizon"], name="outcome_figure_area"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area="national", region__isnull=True, pdu__isnull=True)
                | models.Q(area="region", region__isnull=False, pdu__isnull=True)
                | models.Q(area="pdu", region__isnull=False, pdu__isnull=False),
                name="outcome_figure_area_fits",
            ),
            models.CheckConstraint(
                condition=models.Q(lower__isnull=True) | models.Q(lower__lte=models.F("upper")),
                name="outcome_figure_interval_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.measure} at {self.horizon} months ({self.area})"


class CriteriaGroup(models.Model):
    """How many people in a PDU met one combination of criteria, and how far they went.

    - `listed`: people who met the threshold in an extract of the criteria window, by their
      criteria when first listed in it; `requested`, `referred`, `heard`: of them, those with
      a triage request, a referral to panel or a hearing on or after that extract's date.
    - `below`: people brought onto the pathway below the threshold in the window (marked for
      the pathway, or a triage request with a reason), by their criteria on that day; `criteria_met`
      is empty when they were not in the extract then.
    - `current`: everyone in the latest extract, by their screening in force (the threshold
      what-if's counts are made from these).
    """

    class Kind(models.TextChoices):
        LISTED = "listed", "Listed in the window"
        BELOW = "below", "Brought on below the threshold"
        CURRENT = "current", "In the latest extract"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit", on_delete=models.CASCADE, related_name="+"
    )
    criteria_met = ArrayField(models.PositiveSmallIntegerField(), null=True, blank=True)
    people = models.PositiveIntegerField()
    requested = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)
    heard = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kind", "pdu"], name="criteria_group_kind_pdu")]

    def __str__(self):
        return f"{self.kind} {self.pdu_id} {self.criteria_met}: {self.people}"


class ThresholdCount(models.Model):
    """How many people in the latest extract a PDU would list at a threshold (4 to 8), counting
    every criterion (`left_out` 0) or all but one (`left_out` 1 to 8). Changes nothing."""

    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit", on_delete=models.CASCADE, related_name="+"
    )
    threshold = models.PositiveSmallIntegerField()
    left_out = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pdu", "threshold", "left_out"], name="threshold_count_once"
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gte=1, threshold__lte=8, left_out__lte=8),
                name="threshold_count_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.pdu_id} at {self.threshold} without {self.left_out}: {self.people}"
