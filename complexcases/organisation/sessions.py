"""Sessions: idle and absolute time-outs, and ending every session of a member of staff.

OWASP ASVS 3.3: 15 minutes idle (the page warns at 13 and lets the user stay signed in),
12 hours absolute. Each sign-in gets a new session id (Django cycles the key) and is
remembered against the user, so an administrator can end all of a user's sessions at once.
"""

import logging
import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

logger = logging.getLogger("complexcases.sign_in")
LAST_ACTIVITY = "cc_last_activity"
SIGNED_IN_AT = "cc_signed_in_at"


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get(LAST_ACTIVITY, now)
            started = session.get(SIGNED_IN_AT, now)
            if now - last > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                return self._sign_out(request, "idle")
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                return self._sign_out(request, "expired")
            background = request.headers.get("X-Background") == "1"
            if not background and (now - last >= 30 or LAST_ACTIVITY not in session):
                # Not on every request: a session write per page is needless load; 30s is precise enough.
                session[LAST_ACTIVITY] = now
                session.setdefault(SIGNED_IN_AT, now)
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, reason):
        auth.logout(request)
        return redirect(f"{reverse('signed-out')}?reason={reason}")


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    from .models import UserSession

    logger.info("Sign-in: user %s", user.pk)
    request.session[SIGNED_IN_AT] = request.session[LAST_ACTIVITY] = int(time.time())
    request.session.save()
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    from .models import UserSession

    logger.info("Sign-out: user %s", user.pk if user else "-")
    if user is not None and request is not None and request.session.session_key:
        UserSession.objects.filter(user=user, session_key=request.session.session_key).delete()


def staff_sessions_end(*, user) -> int:
    """End every session the user has, on the server (they are signed out everywhere)."""
    from .models import UserSession

    with transaction.atomic():
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=user).delete()
    return len(keys)


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    # django-axes records the attempt (and locks out); this puts it in the service log too. No
    # password, and the email address masked the way axes masks it in its lockout log
    # (AXES_SENSITIVE_PARAMETERS): a mistyped address is often someone's password.
    from axes.helpers import cleanse_parameters

    attempted = cleanse_parameters({"username": (credentials or {}).get("username", "?")})
    logger.warning("Failed sign-in for %s", attempted["username"])
