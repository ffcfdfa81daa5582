"""People on probation, as the latest monthly extract describes them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

CRN_PATTERN = r"^[A-Z][0-9]{6}$"
crn_validator = RegexValidator(CRN_PATTERN, "Enter a CRN: one letter and six digits, like X123456")


class CustodyStatus(models.TextChoices):
    COMMUNITY = "community", "In the community"
    CUSTODY = "custody", "In custody"


class Person(models.Model):
    """A person on probation, identified by their nDelius CRN."""

    crn = models.CharField("CRN", max_length=7, unique=True, validators=[crn_validator])
    surname = models.CharField(max_length=100)
    forenames = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    pdu = models.ForeignKey(
        "organisation.ProbationDeliveryUnit", on_delete=models.PROTECT, related_name="people"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        verbose_name="practitioner",
    )
    custody_status = models.CharField(max_length=10, choices=CustodyStatus.choices)
    expected_release_date = models.DateField(null=True, blank=True)
    pom_name = models.CharField("POM name", max_length=200, blank=True)
    pom_contact = models.CharField("POM email or phone", max_length=200, blank=True)
    # The "as at" date of the extract these details came from; an older extract never overwrites a newer one.
    as_at = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["surname", "forenames"]
        verbose_name_plural = "people"
        permissions = [("view_all_people", "Can see every person on probation, whatever their PDU")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(crn__regex=CRN_PATTERN), name="person_crn_format"
            ),
        ]
        indexes = [
            models.Index(fields=["pdu", "surname"], name="person_pdu_surname"),
            models.Index(fields=["practitioner"], name="person_practitioner"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.crn})"

    @property
    def full_name(self) -> str:
        """HMPPS style: "Surname, Forenames"."""
        return f"{self.surname}, {self.forenames}"
