"""A regional head of service and a programme manager open the outcomes pages: the comparison
after the panel (switching a figure to its chart of differences), a breakdown by theme, what
makes a complex case, the threshold what-if and a download; a practitioner cannot. Headless
Chromium with the real GOV.UK/MoJ assets; axe (with its best-practice rules) on every page."""

import pytest

from complexcases.organisation.roles import Role
from complexcases.outcomes.services import outcomes_refresh
from complexcases.reporting.models import RegionalHead
from tests.browser.conftest import SWEEP_TAGS, axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in
from tests.factories import UserFactory
from tests.outcomes.builders import build_world, grow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    screenshot(page, name)
    assert axe_violations(page, SWEEP_TAGS) == [], name
    assert page.console_errors == [], name


@pytest.fixture
def people():
    """The outcomes tests' hand-counted world, with enough matched cases for an interval."""
    world = build_world()
    grow(world)
    outcomes_refresh()
    head = UserFactory(email="harper.grant@example.com", pdu=None, roles=[Role.HEAD_OF_SERVICE])
    RegionalHead.objects.create(user=head, region=world.pdus["A"].region)
    UserFactory(email="morgan.ellis@example.com", pdu=None, roles=[Role.PROGRAMME_MANAGER])
    UserFactory(
        email="priya.hughes@example.com", pdu=world.pdus["A"], roles=[Role.PROBATION_PRACTITIONER]
    )
    return world


def test_a_head_of_service_reads_the_outcomes_pages(page, live_server, people):
    sign_in(page, live_server, "harper.grant@example.com")
    page.get_by_role("link", name="Outcomes").first.click()
    page.get_by_role("heading", name="Outcomes after the panel", level=1).wait_for()
    assert page.locator(".govuk-caption-l").inner_text() == "East of England"
    assert page.get_by_text("This is a comparison, not proof of cause").is_visible()
    check(page, "outcomes-after-the-panel")

    # The first month's figure as a chart of differences with their intervals.
    figure = page.locator("#after-1-months")
    figure.get_by_role("tab", name="Chart of differences").click()
    chart = figure.locator(".cc-outcomes-chart")
    assert chart.is_visible()
    assert "Still listed" in chart.inner_text()
    check(page, "outcomes-chart-of-differences")

    # One measure by theme.
    page.get_by_label("Measure").select_option(label="In custody")
    page.get_by_label("When").select_option(label="3 months after the hearing")
    page.get_by_role("button", name="Show this measure").click()
    page.get_by_role("heading", name="In custody, 3 months after the hearing, by theme").wait_for()
    check(page, "outcomes-by-theme")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download every figure on this page as CSV").click()
    assert download.value.suggested_filename == "complex-cases-outcomes-after-the-panel.csv"

    page.get_by_role("link", name="What makes a complex case").click()
    page.get_by_role("heading", name="What makes a complex case", level=1).wait_for()
    assert page.get_by_role("table", name="Criteria met by people listed", exact=True).is_visible()
    check(page, "outcomes-what-makes-a-complex-case")

    page.get_by_role("link", name="Threshold what-if").click()
    page.get_by_label("Threshold for leaving one criterion out").select_option(label="7 or more")
    page.get_by_role("button", name="Show this threshold").click()
    page.get_by_role(
        "heading", name="People who would be listed at 7 or more with one criterion left out"
    ).wait_for()
    rows = page.get_by_role(
        "table", name="People who would be listed at each threshold", exact=True
    ).locator("tbody tr")
    assert rows.all_inner_texts()[-1].startswith("All PDUs shown")
    check(page, "outcomes-threshold-what-if")


def test_a_programme_manager_narrows_to_a_region(page, live_server, people):
    sign_in(page, live_server, "morgan.ellis@example.com")
    page.goto(f"{live_server.url}/outcomes/")
    assert page.locator(".govuk-caption-l").inner_text() == "every region"
    page.get_by_label("Region", exact=True).select_option(label="London")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**/outcomes/?*region=LDN*")
    assert page.locator(".govuk-caption-l").inner_text() == "London"
    check(page, "outcomes-london")
    for path in ("/outcomes/criteria/?region=LDN", "/outcomes/threshold/?region=LDN"):
        page.goto(live_server.url + path)
        check(page, "outcomes" + path.replace("/", "-").replace("?region=", "-"))


def test_a_practitioner_cannot_open_them(page, live_server, people):
    sign_in(page, live_server, "priya.hughes@example.com")
    assert page.get_by_role("link", name="Outcomes").count() == 0
    response = page.goto(f"{live_server.url}/outcomes/")
    assert response.status == 403  # the browser reports the 403 in its console: axe only here
    screenshot(page, "outcomes-refused")
    assert axe_violations(page, SWEEP_TAGS) == []
