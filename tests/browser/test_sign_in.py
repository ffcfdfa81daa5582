"""Signing in, in a real browser, with the real GOV.UK and MoJ CSS and JS loaded."""

import pytest

from complexcases.organisation.roles import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email: str, password: str = TEST_PASSWORD):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_page_is_accessible_and_styled(page, live_server):
    page.goto(f"{live_server.url}/sign-in")
    assert page.title() == "Sign in – Complex Cases"
    # The GOV.UK stylesheet and fonts loaded: the heading uses the GDS font.
    font = page.eval_on_selector("h1", "el => getComputedStyle(el).fontFamily")
    assert "GDS Transport" in font
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    screenshot(page, "sign-in")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_a_case_administrator_signs_in_and_sees_their_home_page(page, live_server):
    UserFactory(email="casey@example.com", first_name="Casey", roles=[Role.CASE_ADMINISTRATOR])
    sign_in(page, live_server, "casey@example.com")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Casey"
    assert page.get_by_role("link", name="Organisation").first.is_visible()
    screenshot(page, "home-case-administrator")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_a_wrong_password_is_reported_accessibly(page, live_server):
    UserFactory(email="casey@example.com")
    sign_in(page, live_server, "casey@example.com", password="not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the email address and password for your account" in summary.inner_text()
    # GOV.UK Frontend's error summary takes focus so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error: ")
    screenshot(page, "sign-in-error")
    assert axe_violations(page) == []


def test_the_403_page_is_accessible(page, live_server):
    UserFactory(email="priya@example.com", roles=[Role.PROBATION_PRACTITIONER])
    sign_in(page, live_server, "priya@example.com")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/organisation/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "You do not have access to this page"
    )
    assert axe_violations(page) == []
