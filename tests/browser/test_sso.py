"""Signing in through the identity provider in a real browser: a real OpenID provider on 127.0.0.1."""

import pytest

from complexcases.organisation.roles import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import UserFactory
from tests.oidc_provider import use_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(oidc_providers, live_server, settings):
    provider = oidc_providers(f"{live_server.url}/oidc/callback/")
    use_provider(settings, provider)
    yield provider
    provider.set_users({})


def sign_in_through_provider(page, live_server, login: str, start: str = "/"):
    page.goto(f"{live_server.url}{start}")
    page.get_by_role("button", name="Sign in with your Justice account").click()
    page.get_by_label("Login name").fill(login)
    page.get_by_role("button", name="Continue").click()


def test_the_sign_in_page_offers_the_justice_account_accessibly(page, live_server, provider):
    page.goto(f"{live_server.url}/sign-in")
    assert page.get_by_role("button", name="Sign in with your Justice account").is_visible()
    assert page.get_by_label("Email address").is_visible()  # `make run`'s demo sign-ins stay
    screenshot(page, "sign-in-with-justice-account")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_a_practitioner_signs_in_through_the_provider_and_reaches_their_cases(
    page, live_server, provider
):
    UserFactory(email="priya.hughes@example.com", first_name="Priya", roles=[])
    provider.set_users(
        {"priya": {"email": "priya.hughes@example.com", "roles": ["cc-practitioner"]}}
    )
    sign_in_through_provider(page, live_server, "priya", start="/cases/")
    page.wait_for_url(f"{live_server.url}/cases/")
    assert "Monthly list" in page.get_by_role("heading", level=1).inner_text()
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Priya"

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You have been signed out"
    link = page.get_by_role("link", name="sign out of your Justice account")
    assert link.get_attribute("href").startswith(f"{provider.issuer}/session/end")
    screenshot(page, "signed-out-offers-provider-sign-out")
    assert axe_violations(page) == []


def test_a_data_protection_officer_signs_in_without_a_second_code_here(page, live_server, provider):
    UserFactory(email="dana@example.com", first_name="Dana", roles=[Role.DATA_PROTECTION_OFFICER])
    provider.set_users({"dana": {"email": "dana@example.com", "roles": ["cc-dpo"]}})
    sign_in_through_provider(page, live_server, "dana")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Dana"
    page.goto(f"{live_server.url}/subject-access/")
    assert page.url == f"{live_server.url}/subject-access/"
    assert "subject access" in page.get_by_role("heading", level=1).inner_text().lower()


def test_someone_the_service_does_not_know_is_told_why(page, live_server, provider):
    provider.set_users({"who": {"email": "who@example.com", "roles": ["not-a-service-role"]}})
    sign_in_through_provider(page, live_server, "who")
    page.wait_for_url(f"{live_server.url}/sign-in")
    assert "You could not be signed in with your Justice account" in page.content()
    assert axe_violations(page) == []
