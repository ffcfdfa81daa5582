"""Single sign-on with the organisation's identity provider (OpenID Connect, ADR 0029).

mozilla-django-oidc runs the authorization-code flow with PKCE, state and nonce; this
module supplies what it leaves to the service: the provider's endpoints from its discovery
document, the ID token's issuer and audience checks, which account a provider's user is,
and the roles the provider grants. Off (every view a 404) unless OIDC_ISSUER is set.

Matching: an active account with the email claim (or the staff-code claim) signs in; a
disabled one never does. With OIDC_ROLES_CLAIM set, the roles named in OIDC_ROLE_MAP are
the provider's to grant: they are set from the claim at every sign-in (other roles are
left alone), and a person with no account is given one only when the claim grants a role.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from complexcases.core.openid import ProviderUnavailable, provider_metadata, signing_key

from .models import User
from .roles import Role

logger = logging.getLogger("complexcases.sign_in")
# In the session of someone who signed in through the provider: two-factor was the provider's.
SSO_SESSION_KEY = "cc_signed_in_with_provider"

_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
REFUSED = (
    "You could not be signed in with your {label}. If you should have access to "
    "{service}, ask a system administrator to check your account"
)


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def local_passwords_allowed(user) -> bool:
    """Passwords work unless single sign-on is on and they are switched off (break-glass: superusers)."""
    return settings.LOCAL_PASSWORDS_ENABLED or not sso_enabled() or user.is_superuser


def is_provider_callback(request, credentials=None) -> bool:
    """For django-axes: the provider's callback is not a password guess, so neither counted nor locked.

    Its failures have no username, so axes would count them against the office's address
    and lock out everyone behind it; the provider does its own lockout.
    """
    return request is not None and request.path == reverse("sso-callback")


def _setting(attr, *args):
    """mozilla-django-oidc's settings, with the provider's endpoints read from its discovery document."""
    if attr in _ENDPOINTS:
        return provider_metadata(settings.OIDC_ISSUER, settings.OIDC_DISCOVERY_URL)[
            _ENDPOINTS[attr]
        ]
    return import_from_settings(attr, *args)


def end_session_url() -> str:
    """The provider's sign-out page, or "" when the provider has none (or is not reachable)."""
    if not sso_enabled():
        return ""
    try:
        endpoint = provider_metadata(settings.OIDC_ISSUER, settings.OIDC_DISCOVERY_URL).get(
            "end_session_endpoint", ""
        )
    except ProviderUnavailable:
        return ""
    return f"{endpoint}?{urlencode({'client_id': settings.OIDC_RP_CLIENT_ID})}" if endpoint else ""


def provider_roles(claims: dict) -> set[str] | None:
    """The service roles the provider grants, or None when roles are managed in the service."""
    if not settings.OIDC_ROLES_CLAIM:
        return None
    granted = claims.get(settings.OIDC_ROLES_CLAIM) or []
    if isinstance(granted, str):
        granted = [granted]
    return {settings.OIDC_ROLE_MAP[value] for value in granted if value in settings.OIDC_ROLE_MAP}


def staff_roles_sync_from_provider(*, user: User, granted: set[str]) -> None:
    """Set the provider-managed roles to exactly those granted; roles given in the service stay."""
    managed = set(settings.OIDC_ROLE_MAP.values())
    with transaction.atomic():
        current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
        if current == granted:
            return
        user.groups.remove(*Group.objects.filter(name__in=current - granted))
        user.groups.add(*Group.objects.filter(name__in=granted - current))
        is_staff = user.groups.filter(name=Role.SYSTEM_ADMINISTRATOR).exists() or user.is_superuser
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    logger.warning(
        "Roles of staff %s changed by the identity provider: added %s, removed %s",
        user.pk,
        sorted(granted - current) or "-",
        sorted(current - granted) or "-",
    )


def staff_create_from_provider(*, claims: dict, granted: set[str]) -> User:
    """An account for someone the provider vouches for and grants a role to (no password)."""
    from .services import staff_create

    with transaction.atomic():
        user = staff_create(
            email=claims[settings.OIDC_EMAIL_CLAIM],
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            roles=sorted(granted),
            staff_code=_staff_code(claims),
        )
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
    logger.warning("Staff %s created at first sign-in with the identity provider", user.pk)
    return user


def _staff_code(claims: dict) -> str | None:
    if not settings.OIDC_STAFF_CODE_CLAIM:
        return None
    return str(claims.get(settings.OIDC_STAFF_CODE_CLAIM) or "").strip() or None


class ProviderBackend(OIDCAuthenticationBackend):
    """Who the provider's user is in this service. Only acts on a provider's callback."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        # The endpoints come from the provider, so they are read when a callback arrives,
        # not whenever Django loads the backends (a password sign-in, or SSO switched off).
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        if not sso_enabled() or request is None or "nonce" not in kwargs:
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except (
            jwt.PyJWTError,
            SuspiciousOperation,
            ValidationError,  # an account the provider's claims cannot make (a malformed email)
            requests.RequestException,
            ProviderUnavailable,
        ) as error:
            logger.warning("Sign-in with the identity provider refused: %s", error)
            return None

    def retrieve_matching_jwk(self, token):
        return signing_key(token, self.OIDC_OP_JWKS_ENDPOINT)

    def _verify_jws(self, payload, key):
        """The signature, expiry, issuer and audience of an ID token (the library checks only the first two)."""
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with userinfo's over them: Entra ID sends roles only in the ID token."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_EMAIL_CLAIM))

    def describe_user_by_claims(self, claims):
        return "the provider's subject {}".format(claims.get("sub", "?"))

    def filter_users_by_claims(self, claims):
        match = Q(email__iexact=claims[settings.OIDC_EMAIL_CLAIM].strip())
        staff_code = _staff_code(claims)
        if staff_code:
            match |= Q(staff_code__iexact=staff_code)
        return User.objects.filter(match)

    def create_user(self, claims):
        granted = provider_roles(claims)
        if not granted:
            logger.warning(
                "Sign-in refused: no account for %s", self.describe_user_by_claims(claims)
            )
            return None
        return staff_create_from_provider(claims=claims, granted=granted)

    def update_user(self, user, claims):
        granted = provider_roles(claims)
        if user.is_active and granted is not None:
            staff_roles_sync_from_provider(user=user, granted=granted)
        return user


class PasswordBackend(ModelBackend):
    """Email and password; only for a break-glass superuser when passwords are switched off."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_passwords_allowed(user):
            logger.warning("Password sign-in refused for staff %s: single sign-on only", user.pk)
            return None
        return user


def _only_with_sso(view):
    def wrapped(self, request, *args, **kwargs):
        if not sso_enabled():
            raise Http404("Single sign-on is not set up")
        return view(self, request, *args, **kwargs)

    return wrapped


class SignInStartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider with a new state, nonce and PKCE challenge."""

    get_settings = staticmethod(_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    @_only_with_sso
    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as error:
            logger.error("Identity provider unavailable: %s", error)
            messages.error(
                request, f"Your {label()} cannot be used to sign in at the moment. Try again later"
            )
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: sign in, or say that it did not work."""

    get_settings = staticmethod(_setting)

    @_only_with_sso
    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a state this browser was not given
            logger.warning("Sign-in with the identity provider refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, REFUSED.format(label=label(), service=settings.SERVICE_NAME))
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        self.request.session[SSO_SESSION_KEY] = True
        logger.info("Sign-in through the identity provider: user %s", self.user.pk)
        return response


def label() -> str:
    """ "Justice account", from the sign-in button's wording."""
    return settings.OIDC_SIGN_IN_LABEL.removeprefix("Sign in with your ").strip() or "account"


class SignOutView(auth_views.LogoutView):
    """Sign out here; someone who came through the provider is offered its sign-out too."""

    def post(self, request, *args, **kwargs):
        through_provider = bool(request.session.get(SSO_SESSION_KEY))
        response = super().post(request, *args, **kwargs)
        if through_provider and sso_enabled():
            return redirect(f"{reverse('signed-out')}?reason=provider")
        return response
