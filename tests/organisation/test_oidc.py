"""Single sign-on through a real OpenID provider (tests/oidc/provider.mjs) on 127.0.0.1.

The test client plays the service's side, `requests` plays the browser at the provider.
"""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from complexcases.organisation.models import User, UserSession
from complexcases.organisation.oidc import SSO_SESSION_KEY, ProviderBackend
from complexcases.organisation.roles import Role
from complexcases.organisation.sessions import LAST_ACTIVITY
from tests.factories import TEST_PASSWORD, UserFactory
from tests.html import parse
from tests.oidc_provider import (
    TEST_CLIENT_CALLBACK,
    sign_in_at_provider,
)

pytestmark = pytest.mark.django_db
REFUSED = "You could not be signed in with your Justice account"


def to_provider(client, next_url=None) -> str:
    start = client.get(
        reverse("sso-start") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    )
    assert start.status_code == 302
    return start["Location"]


def provider_callback(client, login: str, next_url=None) -> str:
    return sign_in_at_provider(to_provider(client, next_url), login, TEST_CLIENT_CALLBACK)


def a_practitioner_at(provider):
    """Priya: an account here, and a login at the provider granting the practitioner role."""
    provider.set_users({"priya": {"email": "priya@example.com", "roles": ["cc-practitioner"]}})
    return UserFactory(email="priya@example.com")


def assert_refused(response, client):
    assert REFUSED in page_text(response)
    assert signed_in_user(client) is None


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get(SESSION_KEY)).first()


def page_text(response) -> str:
    return parse(response).get_text(" ", strip=True)


def test_the_authorization_request_uses_pkce_state_and_nonce(oidc_provider, client):
    query = parse_qs(urlparse(to_provider(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["response_type"] == ["code"]
    assert query["state"]
    assert query["nonce"]
    assert query["redirect_uri"] == [TEST_CLIENT_CALLBACK]
    # The verifier stays in this session; only its hash went to the provider.
    stored = client.session["oidc_states"][query["state"][0]]
    assert stored["code_verifier"] not in str(query)


def test_a_practitioner_signs_in_with_roles_from_the_provider(oidc_provider, client, caplog):
    user = UserFactory(email="Priya.Patel@example.com", staff_code="N01A123", roles=[])
    oidc_provider.set_users(
        {
            "priya": {
                "email": "priya.patel@example.com",
                "staff_code": "N01A123",
                "roles": ["cc-practitioner"],
            }
        }
    )
    callback = client.get(provider_callback(client, "priya", next_url="/people/"))
    assert callback.status_code == 302
    assert callback["Location"] == "/people/"
    assert signed_in_user(client) == user
    assert client.session[SSO_SESSION_KEY] is True
    assert list(user.groups.values_list("name", flat=True)) == [Role.PROBATION_PRACTITIONER]
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()
    assert client.get(reverse("home")).status_code == 200
    assert f"Sign-in through the identity provider: user {user.pk}" in caplog.messages


def test_a_next_address_off_the_service_is_not_followed(oidc_provider, client):
    a_practitioner_at(oidc_provider)
    response = client.get(provider_callback(client, "priya", next_url="https://evil.example/"))
    assert response["Location"] == reverse("home")


def test_the_idle_time_out_still_applies(oidc_provider, client):
    a_practitioner_at(oidc_provider)
    client.get(provider_callback(client, "priya"))
    session = client.session
    session[LAST_ACTIVITY] -= 16 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("signed-out") + "?reason=idle"
    assert signed_in_user(client) is None


def id_token(**changes) -> tuple[str, object]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {
        "iss": "http://issuer.test",
        "aud": "complex-cases",
        "sub": "1",
        "iat": now,
        "exp": now + 60,
    }
    return jwt.encode({**claims, **changes}, key, algorithm="RS256"), key.public_key()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"aud": "another-client"}, jwt.InvalidAudienceError),
        ({"iss": "http://another-issuer.test"}, jwt.InvalidIssuerError),
        ({"exp": int(time.time()) - 10}, jwt.ExpiredSignatureError),
    ],
)
def test_an_id_token_for_another_client_or_from_another_issuer_is_refused(settings, changes, error):
    settings.OIDC_ISSUER = "http://issuer.test"
    backend = ProviderBackend()
    backend.OIDC_RP_SIGN_ALGO, backend.OIDC_RP_CLIENT_ID = "RS256", "complex-cases"
    assert backend._verify_jws(*id_token())["sub"] == "1"
    with pytest.raises(error):
        backend._verify_jws(*id_token(**changes))


def test_roles_sent_only_in_the_id_token_are_read(oidc_provider, client):
    user = UserFactory(email="dee@example.com", roles=[])
    oidc_provider.set_users(
        {"dee": {"email": "dee@example.com", "roles": ["cc-dpo"], "_id_token_only": ["roles"]}}
    )
    client.get(provider_callback(client, "dee"))
    assert signed_in_user(client) == user
    assert list(user.groups.values_list("name", flat=True)) == [Role.DATA_PROTECTION_OFFICER]


def test_roles_are_checked_again_at_every_sign_in(oidc_provider, client):
    user = UserFactory(email="dee@example.com", roles=[Role.PANEL_MEMBER, Role.PROGRAMME_MANAGER])
    oidc_provider.set_users({"dee": {"email": "dee@example.com", "roles": ["cc-dpo", "not-ours"]}})
    client.get(provider_callback(client, "dee"))
    assert signed_in_user(client) == user
    # The provider no longer grants programme manager; panel member is the service's to give.
    assert set(user.groups.values_list("name", flat=True)) == {
        Role.PANEL_MEMBER,
        Role.DATA_PROTECTION_OFFICER,
    }
    # A data protection officer needs two-factor: the provider's, so no app is asked for here.
    assert client.get(reverse("subject-access")).status_code == 200


def test_someone_without_an_account_is_given_one_only_when_the_provider_grants_a_role(
    oidc_provider, client
):
    oidc_provider.set_users(
        {
            "new": {
                "email": "new@example.com",
                "given_name": "Nia",
                "family_name": "Jones",
                "staff_code": "N02B456",
                "roles": ["cc-programme-manager"],
            },
            "stranger": {"email": "stranger@example.com", "roles": ["someone-elses-group"]},
            "malformed": {"email": "not an email", "given_name": None, "roles": ["cc-dpo"]},
        }
    )
    refused = client.get(provider_callback(client, "stranger"), follow=True)
    assert_refused(refused, client)
    assert not User.objects.filter(email="stranger@example.com").exists()
    assert_refused(client.get(provider_callback(client, "malformed"), follow=True), client)
    assert not User.objects.filter(email="not an email").exists()

    client.get(provider_callback(client, "new"))
    user = signed_in_user(client)
    assert (user.email, user.get_full_name(), user.staff_code, user.is_active) == (
        "new@example.com",
        "Nia Jones",
        "N02B456",
        True,
    )
    assert list(user.groups.values_list("name", flat=True)) == [Role.PROGRAMME_MANAGER]
    assert not user.has_usable_password()


def test_an_unknown_person_is_refused_when_roles_are_managed_in_the_service(
    oidc_provider, client, settings
):
    settings.OIDC_ROLES_CLAIM = ""
    oidc_provider.set_users({"who": {"email": "who@example.com", "roles": ["cc-dpo"]}})
    refused = client.get(provider_callback(client, "who"), follow=True)
    assert refused.redirect_chain[-1][0] == reverse("login")
    assert_refused(refused, client)
    assert not User.objects.filter(email="who@example.com").exists()


def test_a_disabled_account_cannot_sign_in_through_the_provider(oidc_provider, client):
    user = UserFactory(email="gone@example.com", is_active=False, roles=[Role.PROGRAMME_MANAGER])
    oidc_provider.set_users({"gone": {"email": "gone@example.com", "roles": ["cc-dpo"]}})
    refused = client.get(provider_callback(client, "gone"), follow=True)
    assert_refused(refused, client)
    # Nor do its roles change.
    assert list(user.groups.values_list("name", flat=True)) == [Role.PROGRAMME_MANAGER]


def test_email_and_staff_code_naming_two_accounts_is_refused(oidc_provider, client):
    UserFactory(email="one@example.com", staff_code="N03C789")
    UserFactory(email="two@example.com", staff_code="N04D000")
    oidc_provider.set_users(
        {"one": {"email": "one@example.com", "staff_code": "N04D000", "roles": []}}
    )
    assert REFUSED in page_text(client.get(provider_callback(client, "one"), follow=True))
    assert signed_in_user(client) is None


def test_refusals_at_the_provider_callback_do_not_lock_out_passwords_or_colleagues(
    oidc_provider, client, settings
):
    """Behind one office address, people the service does not know must not lock the others out."""
    settings.AXES_FAILURE_LIMIT = 2
    oidc_provider.set_users({"stranger": {"email": "stranger@example.com", "roles": []}})
    for _ in range(3):
        assert_refused(client.get(provider_callback(client, "stranger"), follow=True), client)
    user = a_practitioner_at(oidc_provider)
    client.get(provider_callback(client, "priya"))
    assert signed_in_user(client) == user


def test_a_tampered_state_is_refused(oidc_provider, client):
    a_practitioner_at(oidc_provider)
    callback = urlparse(provider_callback(client, "priya"))
    query = parse_qs(callback.query)
    query["state"] = [query["state"][0][:-1] + "x"]
    refused = client.get(f"{callback.path}?{urlencode(query, doseq=True)}", follow=True)
    assert refused.status_code == 200
    assert_refused(refused, client)


def test_a_wrong_nonce_is_refused(oidc_provider, client):
    a_practitioner_at(oidc_provider)
    callback = provider_callback(client, "priya")
    # The ID token carries the nonce this session sent; the session now expects another.
    session = client.session
    state = parse_qs(urlparse(callback).query)["state"][0]
    session["oidc_states"][state]["nonce"] = "not-the-nonce-that-was-sent"
    session.save()
    refused = client.get(callback, follow=True)
    assert_refused(refused, client)


def test_an_expired_id_token_is_refused(oidc_provider, client):
    a_practitioner_at(oidc_provider)
    callback = provider_callback(client, "priya")
    # The provider's ID tokens last ten minutes; read this one an hour later by the service's clock.
    with time_machine.travel(timedelta(hours=1)):
        refused = client.get(callback, follow=True)
    assert_refused(refused, client)


def test_a_code_cannot_be_used_twice(oidc_provider, client):
    user = a_practitioner_at(oidc_provider)
    callback = provider_callback(client, "priya")
    assert client.get(callback).status_code == 302
    assert signed_in_user(client) == user
    replay = Client()
    assert REFUSED in page_text(replay.get(callback, follow=True))
    assert signed_in_user(replay) is None


def test_signing_out_offers_the_providers_sign_out(oidc_provider, client):
    a_practitioner_at(oidc_provider)
    client.get(provider_callback(client, "priya"))
    signed_out = client.post(reverse("logout"), follow=True)
    assert signed_in_user(client) is None
    link = parse(signed_out).find("a", string="sign out of your Justice account")
    assert link["href"] == f"{oidc_provider.issuer}/session/end?client_id=complex-cases"


def test_the_sign_in_page_offers_the_provider_and_passwords(oidc_provider, client):
    page = parse(client.get(reverse("login")))
    button = page.find("a", class_="govuk-button")
    assert button.get_text(strip=True) == "Sign in with your Justice account"
    assert button["href"] == reverse("sso-start")
    assert page.find("input", attrs={"name": "password"}) is not None
    assert page.find("details") is None


def test_with_passwords_off_only_a_superuser_signs_in_with_one(oidc_provider, client, settings):
    settings.LOCAL_PASSWORDS_ENABLED = False
    UserFactory(email="priya@example.com", roles=[Role.PROBATION_PRACTITIONER])
    admin = UserFactory(email="break-glass@example.com", is_superuser=True, is_staff=True)
    page = parse(client.get(reverse("login")))
    assert "Emergency sign-in for administrators" in page.find("details").get_text()

    refused = client.post(
        reverse("login"), {"username": "priya@example.com", "password": TEST_PASSWORD}
    )
    assert refused.status_code == 200
    assert signed_in_user(client) is None
    client.post(
        reverse("login"), {"username": "break-glass@example.com", "password": TEST_PASSWORD}
    )
    assert signed_in_user(client) == admin


def test_an_unreachable_provider_is_said_plainly(settings, client):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.OIDC_RP_CLIENT_ID = "complex-cases"
    response = client.get(reverse("sso-start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "cannot be used to sign in at the moment" in page_text(response)


def test_a_discovery_document_elsewhere_is_read_from_its_address(oidc_provider, client, settings):
    settings.OIDC_DISCOVERY_URL = f"{oidc_provider.issuer}/not-here"
    response = client.get(reverse("sso-start"), follow=True)
    assert "cannot be used to sign in at the moment" in page_text(response)
    settings.OIDC_DISCOVERY_URL = f"{oidc_provider.issuer}/.well-known/openid-configuration?v=2"
    assert to_provider(client).startswith(f"{oidc_provider.issuer}/auth?")


def test_a_discovery_document_naming_another_issuer_is_not_trusted(oidc_provider, client, settings):
    settings.OIDC_ISSUER = "http://issuer.test"
    settings.OIDC_DISCOVERY_URL = f"{oidc_provider.issuer}/.well-known/openid-configuration"
    response = client.get(reverse("sso-start"), follow=True)
    assert "cannot be used to sign in at the moment" in page_text(response)


def test_without_sso_settings_sign_in_is_as_before(client):
    assert client.get(reverse("sso-start")).status_code == 404
    assert client.get(reverse("sso-callback") + "?code=x&state=y").status_code == 404
    page = parse(client.get(reverse("login")))
    assert page.find("a", class_="govuk-button") is None
    user = UserFactory(email="priya@example.com")
    client.post(reverse("login"), {"username": "priya@example.com", "password": TEST_PASSWORD})
    assert signed_in_user(client) == user
