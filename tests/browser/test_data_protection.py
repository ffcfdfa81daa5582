"""The data protection officer: two-factor sign-in, the access log and a subject access report,
in headless Chromium with axe on every page."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from complexcases.organisation.roles import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_sign_in import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name


def test_dpo_sets_up_two_factor_then_searches_the_log_and_produces_a_report(
    page, live_server, triage_world
):
    UserFactory(email="dana@example.com", first_name="Dana", roles=[Role.DATA_PROTECTION_OFFICER])
    sign_in(page, live_server, "dana@example.com")
    page.wait_for_url(f"{live_server.url}/two-factor/set-up")
    check(page, "two-factor-setup")
    # The secret waits in the server-side session until confirmed; read it the way the app would.
    from django.contrib.sessions.models import Session

    [session] = [
        s.get_decoded()
        for s in Session.objects.all()
        if "cc_two_factor_setup_key" in s.get_decoded()
    ]
    device = TOTPDevice(key=session["cc_two_factor_setup_key"])
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Access log").first.click()
    page.get_by_label("CRN").fill("A000001")
    page.get_by_role("button", name="Search").last.click()
    page.get_by_text("Download these rows as CSV").wait_for()
    check(page, "access-log")

    page.get_by_role("link", name="Subject access").first.click()
    page.get_by_label("CRN").fill("A000001")
    page.get_by_label("Redact staff names").check()
    page.get_by_role("button", name="Produce the report").click()
    page.get_by_role("heading", name="Adams, Jo (A000001)").wait_for()
    assert "Priya Hughes" not in page.locator("main").inner_text()
    check(page, "subject-access-report")
