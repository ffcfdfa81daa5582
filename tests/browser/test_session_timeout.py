"""The idle time-out warning: an accessible modal dialog, and "Stay signed in" works."""

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_sign_in import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_warning_appears_is_announced_and_stay_signed_in_works(page, live_server, settings):
    # The real timings are 13 and 15 minutes; the same code with seconds, so the test is quick.
    settings.SESSION_IDLE_WARNING_SECONDS = 2
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 8
    UserFactory(email="casey@example.com", first_name="Casey")
    sign_in(page, live_server, "casey@example.com")
    page.wait_for_url(f"{live_server.url}/")

    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(timeout=6000)
    assert page.evaluate("document.getElementById('session-timeout-dialog').open")
    assert "signed out in" in dialog.inner_text()
    # Focus is on "Stay signed in", inside the modal.
    assert page.evaluate("document.activeElement.id") == "session-stay-signed-in"
    screenshot(page, "session-timeout-warning")
    assert axe_violations(page) == []

    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=3000)
    page.wait_for_timeout(3000)  # past the original time-out: still signed in
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Casey"
    assert page.console_errors == []


def test_doing_nothing_signs_you_out(page, live_server, settings):
    settings.SESSION_IDLE_WARNING_SECONDS = 1
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 3
    UserFactory(email="casey@example.com")
    sign_in(page, live_server, "casey@example.com")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/signed-out?reason=idle", timeout=8000)
    assert page.get_by_role("heading", level=1).inner_text() == "You have been signed out"
    assert axe_violations(page) == []
