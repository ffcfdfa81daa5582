"""Reporting: who counts as a regional head, and the shared, anonymised learning log."""

from django.conf import settings
from django.db import models
from django.db.models.lookups import Regex
from simple_history.models import HistoricalRecords

from .validators import (
    ANONYMOUS_TEXT_VALIDATORS,
    ASCII_DIGITS,
    CRN_SHAPED,
    INVISIBLE_CHARACTERS,
    OTHER_DIGITS,
)


def as_read(field: str) -> models.Func:
    """validators.as_read in SQL: strip invisible characters, NFKC, other digits as 0-9."""
    visible = models.Func(
        models.F(field),
        models.Value(INVISIBLE_CHARACTERS),
        models.Value(""),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )
    nfkc = models.Func(
        visible, template="normalize(%(expressions)s, NFKC)", output_field=models.TextField()
    )
    return models.Func(
        nfkc,
        models.Value(OTHER_DIGITS),
        models.Value(ASCII_DIGITS),
        function="translate",
        output_field=models.TextField(),
    )


class RegionalHead(models.Model):
    """A head of service who sees a whole region's figures (ADR 0016).

    Staff records have a PDU but no region; a regional head is a member of the "Head of
    service or manager" group with one of these naming their region (and usually no PDU).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regional_head"
    )
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="regional_heads"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name"]
        verbose_name = "regional head"

    def __str__(self):
        return f"Regional head for {self.region}"


class LearningEntry(models.Model):
    """What one heard panel case taught the service, with no names, CRNs or dates of birth."""

    # Where it came from, for the record only: the log never shows or links the case.
    booking = models.ForeignKey("panel.PanelBooking", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, related_name="+")
    blocker = models.TextField("the blocker", max_length=1000, validators=ANONYMOUS_TEXT_VALIDATORS)
    what_unblocked = models.TextField(
        "what unblocked it", max_length=1000, validators=ANONYMOUS_TEXT_VALIDATORS
    )
    helped_by = models.CharField(
        "the service or contact that helped",
        max_length=300,
        validators=ANONYMOUS_TEXT_VALIDATORS,
    )
    themes = models.ManyToManyField("triage.Theme", related_name="learning_entries")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "learning entries"
        permissions = [
            ("view_dashboard", "Can see the dashboard figures for their team, PDU or region"),
            ("view_national_figures", "Can see figures for every region (the Complex Cases team)"),
            ("view_monthly_report", "Can see the monthly report for their region or PDU"),
        ]
        indexes = [models.Index(fields=["region", "-created_at"], name="learning_entry_region")]
        constraints = [
            # The form says so too; this stops a CRN reaching the log by any other route.
            models.CheckConstraint(
                condition=~models.Q(Regex(as_read("blocker"), CRN_SHAPED))
                & ~models.Q(Regex(as_read("what_unblocked"), CRN_SHAPED))
                & ~models.Q(Regex(as_read("helped_by"), CRN_SHAPED)),
                name="learning_entry_no_crn",
            ),
            models.CheckConstraint(
                condition=~models.Q(blocker="")
                & ~models.Q(what_unblocked="")
                & ~models.Q(helped_by=""),
                name="learning_entry_complete",
            ),
        ]

    def __str__(self):
        return f"Learning entry {self.pk}"
