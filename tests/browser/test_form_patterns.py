"""GOV.UK form patterns in the browser: error links that reach the field, conditional reveals."""

import pytest

from tests.browser.conftest import axe_violations
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


def test_the_outcome_questions_are_revealed_by_the_outcome_radios(
    browser, page, live_server, triage_world
):
    """Redirect's questions appear when "Redirect" is chosen; without JavaScript they all show."""
    from tests.triage.test_views import held_request

    request = held_request(triage_world)
    triage_world["manager"].set_password("correct-horse-battery-staple")
    triage_world["manager"].save()
    url = f"{live_server.url}/triage/{request.pk}/outcome"
    sign_in(page, live_server, "morgan.ellis@example.com")
    page.goto(url)
    where = page.get_by_label("Where is the case redirected to?")
    panel_ask = page.get_by_label("What is the panel asked to help with?")
    assert not where.is_visible()
    assert not panel_ask.is_visible()
    assert not page.get_by_label("Blocker 2", exact=True).is_visible()
    page.get_by_label("Redirect", exact=True).check()
    assert where.is_visible()
    assert page.get_by_label("Redirect", exact=True).get_attribute("aria-expanded") == "true"
    page.get_by_text("Add blocker 2").click()
    assert page.get_by_label("Blocker 2", exact=True).is_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []

    cookies = page.context.cookies()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.add_cookies(cookies)
    no_script = context.new_page()
    no_script.goto(url)
    assert no_script.get_by_label("Where is the case redirected to?").is_visible()
    assert no_script.get_by_label("What is the panel asked to help with?").is_visible()
    context.close()
