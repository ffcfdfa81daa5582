"""GOV.UK form patterns in the browser: error links that reach the field, conditional reveals."""

import pytest

from tests.browser.test_screening_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_radio_error_link_focuses_the_first_radio(page, live_server, triage_world):
    """'Select yes if the request is urgent' in the summary moves focus to the first radio."""
    triage_world["priya"].set_password("correct-horse-battery-staple")
    triage_world["priya"].save()
    sign_in(page, live_server, "priya.hughes@example.com")
    page.goto(f"{live_server.url}/people/A000001/")
    page.get_by_role("button", name="Request triage").click()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    summary.get_by_role("link", name="Select yes if the request is urgent").click()
    focused = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    first = page.locator("input[name=urgent]").first.get_attribute("value")
    assert focused == ["urgent", first]
    assert page.console_errors == []
