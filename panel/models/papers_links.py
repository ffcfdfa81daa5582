"""Personal links to a case's papers for invitees outside the service (ADR 0045).

An invitee from the council or the NHS cannot sign in, so the invitation carries a link of
their own. Only the token's SHA-256 is kept (the token is in the email and nowhere else); the
link needs the address it was sent to confirmed with a one-time code before it opens, works
until the end of the panel's day, and the Complex Cases team can revoke it.
"""

from django.conf import settings
from django.db import models

from .bookings import PanelBooking, PanelInvitee


class PapersLink(models.Model):
    """One address's link to one case's papers."""

    booking = models.ForeignKey(PanelBooking, on_delete=models.CASCADE, related_name="papers_links")
    invitee = models.ForeignKey(PanelInvitee, on_delete=models.CASCADE, related_name="papers_links")
    # The address the link was sent to: the invitee's own, or their deputy's.
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.CharField(max_length=200, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitee", "email"],
                condition=models.Q(revoked_at__isnull=True),
                name="papers_link_one_live_link_per_address",
            ),
        ]

    def __str__(self):
        return f"Papers link {self.pk}"


class PapersLinkCode(models.Model):
    """A one-time code sent to the link's address: short-lived, a few tries, stored as an HMAC."""

    link = models.ForeignKey(PapersLink, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Code for papers link {self.link_id}"


class PapersLinkFailure(models.Model):
    """A failed try at a papers link page, counted for the rate limits (never shown to anyone)."""

    class Kind(models.TextChoices):
        LINK = "link", "A link that does not work"
        ADDRESS = "address", "Not the address the link was sent to"
        CODE = "code", "A wrong code"

    link = models.ForeignKey(
        PapersLink, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["client_address", "at"], name="papers_failure_address_at")]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
