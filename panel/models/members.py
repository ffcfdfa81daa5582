"""Who sits on the panel: the seats (reference data) and who holds them in each region."""

from django.conf import settings
from django.db import models


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
