"""Two-factor authentication with an authenticator app (TOTP, django-otp).

Required for the system administrator and data protection officer roles, available to
everyone. After the password, a user with a confirmed device must enter a code before
anything else; a user whose role requires one and who has none must set one up first.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

NOT_NEEDED = "cc_two_factor_not_needed"
EXEMPT_URL_NAMES = ("two-factor-verify", "two-factor-setup", "logout", "signed-out", "keep-alive")


def requires_two_factor(user) -> bool:
    return user.groups.filter(name__in=settings.TWO_FACTOR_REQUIRED_ROLES).exists()


def has_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorMiddleware:
    """Send a signed-in but unverified user to verify (or to set up, when their role requires it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.session.get(NOT_NEEDED):
            if self.exempt_prefixes is None:
                self.exempt_prefixes = (
                    *tuple(reverse(name) for name in EXEMPT_URL_NAMES),
                    settings.STATIC_URL,
                    "/assets/",
                    "/healthz",
                )
            if not request.path.startswith(self.exempt_prefixes):
                if has_device(user):
                    return redirect(
                        f"{reverse('two-factor-verify')}?next={request.get_full_path()}"
                    )
                if requires_two_factor(user):
                    return redirect("two-factor-setup")
                # Neither has an app nor needs one: remember for this session (a sign-in starts a new one).
                request.session[NOT_NEEDED] = True
        return self.get_response(request)
