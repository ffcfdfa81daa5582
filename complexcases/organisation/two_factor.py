"""Two-factor authentication with an authenticator app (TOTP, django-otp).

Required for the system administrator and data protection officer roles (and for any
superuser or Django-admin user), available to everyone. After the password, a user with a
confirmed device must enter a code before anything else; a user who must have one and has
none must set one up first. Checked on every request, in one query, so a role given or an
app added during a session takes effect at once.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse

from .oidc import SSO_SESSION_KEY

EXEMPT_URL_NAMES = ("two-factor-verify", "two-factor-setup", "logout", "signed-out", "keep-alive")


def _status(user) -> tuple[bool, bool]:
    """(has a confirmed app, must have one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            in_role=Exists(
                User.groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name__in=settings.TWO_FACTOR_REQUIRED_ROLES
                )
            ),
        )
        .values_list("has_app", "in_role", "is_superuser", "is_staff")
        .get()
    )
    has_app, in_role, is_superuser, is_staff = row
    return has_app, in_role or is_superuser or is_staff


def requires_two_factor(user) -> bool:
    return _status(user)[1]


def has_device(user) -> bool:
    return _status(user)[0]


def authenticator_app_confirm(*, user, device) -> bool:
    """Save a confirmed app in place of any other, and email the user (ADR 0022): a stolen
    password used to add an app is then noticed. True when it replaced a confirmed app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from complexcases.core.email import email_queue

    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save()
        what = "replaced" if replaced else "added"
        email_queue(
            subject=f"Complex Cases: an authenticator app was {what}",
            body=(
                f"An authenticator app was {what} for two-factor authentication on your "
                "Complex Cases account. From now on, sign-in codes come from that app.\n\n"
                "If this was not you, someone may know your password. Tell your line manager "
                "and the service's system administrators today, and ask them to disable your "
                "account until it is put right.\n"
            ),
            to=[user.email],
            record_type="authenticator app",
            template=f"authenticator-app-{what}",
        )
    return replaced


class TwoFactorMiddleware:
    """Send a signed-in but unverified user to verify (or to set up, when they must have an app)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = None

    def __call__(self, request):
        user = request.user
        # Someone who signed in through the identity provider passed its two-factor (ADR 0029).
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.session.get(SSO_SESSION_KEY)
        ):
            if self.exempt_prefixes is None:
                self.exempt_prefixes = (
                    *tuple(reverse(name) for name in EXEMPT_URL_NAMES),
                    settings.STATIC_URL,
                    "/assets/",
                    "/healthz",
                )
            if not request.path.startswith(self.exempt_prefixes):
                has_app, must_have = _status(user)
                if has_app:
                    return redirect(
                        f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}"
                    )
                if must_have:
                    return redirect("two-factor-setup")
        return self.get_response(request)
