"""A regional head of service opens the dashboard, filters to one PDU and the last 6 months,
switches a chart to its table and downloads that figure as CSV; then opens the monthly report
and the learning log. Headless Chromium with the real GOV.UK/MoJ assets; axe on every page."""

import csv
import io

import pytest

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.models import Region
from complexcases.organisation.roles import Role
from complexcases.reporting.models import RegionalHead
from complexcases.reporting.services import learning_entry_create
from panel.services import panel_booking_create
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in
from tests.factories import UserFactory
from tests.panel_fixtures import held
from triage.models import Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name


@pytest.fixture
def regional_head(panel_world):
    """Harper, head of service for the East of England; Adams's case heard at panel, with learning."""
    head = UserFactory(
        first_name="Harper",
        last_name="Grant",
        email="harper.grant@example.com",
        pdu=None,
        roles=[Role.HEAD_OF_SERVICE],
    )
    RegionalHead.objects.create(user=head, region=Region.objects.get(code="EOE"))
    booking = panel_booking_create(
        slot=panel_world["session"].slots.first(),
        triage_record=panel_world["record"],
        by=panel_world["admin"],
    )
    held(booking)
    booking.status = "heard"
    booking.save(update_fields=["status"])
    learning_entry_create(
        booking=booking,
        blocker="No approved premises place on release.",
        what_unblocked="Escalation to the regional approved premises manager.",
        helped_by="Regional approved premises referral unit",
        themes=Theme.objects.filter(name="Housing or approved premises"),
        by=panel_world["admin"],
    )
    return head


def test_filter_switch_to_table_and_download(page, live_server, regional_head):
    sign_in(page, live_server, "harper.grant@example.com")
    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    check(page, "dashboard")
    assert page.locator(".govuk-caption-l").inner_text() == "East of England"

    # One PDU, the last 6 months.
    page.get_by_label("Probation delivery unit (PDU)").select_option(label="Northamptonshire")
    page.get_by_label("Last 6 months").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/dashboard/?*pdu=NORTHANTS*")
    assert page.locator(".govuk-caption-l").inner_text() == "Northamptonshire"
    numbers = dict(
        zip(
            page.locator(".cc-big-number__label").all_inner_texts(),
            page.locator(".cc-big-number__value").all_inner_texts(),
            strict=True,
        )
    )
    # Adams is listed in Northamptonshire (Evans, in Cambridgeshire, is not counted).
    assert numbers["People listed"] == "1"
    assert numbers["Triage requests"] == "1"
    assert numbers["Cases heard at panel"] == "1"
    # Counted by case: Adams's case opened and triaged (Evans's is in Cambridgeshire).
    cases = page.locator("section#counted-by-case")
    assert cases.get_by_role("heading", name="Cases", level=2).is_visible()
    opened = cases.get_by_role("table").first.get_by_role("row", name="Opened")
    assert opened.get_by_role("cell").inner_text() == "1"
    assert "Days in each stage" in cases.get_by_role("table").nth(1).inner_text()
    check(page, "dashboard-filtered")

    # Switch "Triage outcomes" from its chart to its table.
    outcomes = page.locator("section#triage-outcomes")
    assert outcomes.locator(".cc-chart__rows").is_visible()
    outcomes.get_by_role("tab", name="Table").click()
    table = outcomes.get_by_role("table")
    table.wait_for()
    assert outcomes.locator(".cc-chart__rows").is_hidden()
    assert "Refer to panel" in table.inner_text()
    check(page, "dashboard-table")

    # Download that figure.
    before = AccessLogEntry.objects.filter(record_type="reporting figures export").count()
    with page.expect_download() as download_info:
        outcomes.get_by_role("link", name="Download “Triage outcomes” as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("complex-cases-triage-outcomes-")
    with open(download.path(), encoding="utf-8") as content:
        rows = list(csv.DictReader(io.StringIO(content.read())))
    assert {row["Area"] for row in rows} == {"Northamptonshire"}
    assert {row["Category"]: row["Value"] for row in rows}["Refer to panel"] == "1"
    assert not any("A000001" in value or "Adams" in value for row in rows for value in row.values())
    assert (
        AccessLogEntry.objects.filter(record_type="reporting figures export").count() == before + 1
    )

    # The monthly report and the learning log.
    page.get_by_role("link", name="Open the monthly report").click()
    page.get_by_role("heading", level=1).wait_for()
    check(page, "monthly-report")
    page.get_by_role("link", name="Learning log").first.click()
    page.get_by_text("Regional approved premises referral unit").wait_for()
    check(page, "learning-log")
