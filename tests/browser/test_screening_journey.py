"""A case administrator uploads an extract, generates the list and sees why a person is listed;
a practitioner records the reflective conversation. Headless Chromium, axe on every page."""

import re

import pytest
from django.core.management import call_command

from complexcases.organisation.roles import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import TeamFactory, UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name


@pytest.fixture
def staff(pdus):
    team = TeamFactory(pdu=pdus["NORTHANTS"], name="Northampton North")
    spo = UserFactory(
        first_name="Sam",
        last_name="Okafor",
        pdu=pdus["NORTHANTS"],
        team=team,
        roles=[Role.SENIOR_PROBATION_OFFICER],
    )
    practitioner = UserFactory(
        first_name="Priya",
        last_name="Hughes",
        email="priya.hughes@example.com",
        staff_code="N01P001",
        pdu=pdus["NORTHANTS"],
        team=team,
        line_manager=spo,
        roles=[Role.PROBATION_PRACTITIONER],
    )
    admin = UserFactory(
        first_name="Casey", email="casey@example.com", roles=[Role.CASE_ADMINISTRATOR]
    )
    return {"admin": admin, "practitioner": practitioner}


def test_case_administrator_uploads_lists_and_explains(
    page, live_server, staff, tmp_path, settings
):
    # The upload's import runs in a Celery worker; here it runs in-process, eagerly (the real
    # worker path is tested in tests/screening/test_tasks.py).
    from complexcases.celery import app

    app.conf.task_always_eager = True
    try:
        extract = tmp_path / "extract-2026-10.csv"
        extract.write_bytes(
            extract_csv(
                [
                    row(crn="A000001", surname="Adams", forenames="Jo", **SIX_CRITERIA),
                    row(crn="A000002", surname="Brown", forenames="Lee"),
                ]
            )
        )
        sign_in(page, live_server, "casey@example.com")
        page.get_by_role("link", name="Import extract").first.click()
        check(page, "extract-upload")
        page.get_by_label("Upload the monthly extract").set_input_files(str(extract))
        page.get_by_role("button", name="Upload and import").click()
        page.get_by_role("heading", name="Extract imported").wait_for()
        assert "2 people, 2 new" in page.locator(".govuk-panel").inner_text()
        check(page, "extract-imported")
    finally:
        app.conf.task_always_eager = False

    page.goto(f"{live_server.url}/cases/generate")
    check(page, "generate-list")
    page.get_by_label("Month").fill("2026-10")
    page.get_by_role("button", name="Generate the list").click()
    page.get_by_role("heading", name="Monthly list for October 2026").wait_for()
    check(page, "monthly-list")
    assert page.locator("table tbody tr").count() == 1

    page.get_by_role("link", name="Adams, Jo").click()
    page.get_by_role("heading", name="Adams, Jo", level=1).wait_for()
    assert "6 of 8 criteria met" in page.locator("main").inner_text()
    check(page, "person")

    # The header search finds people by name.
    page.get_by_label("Search for a person by name or CRN").fill("Brown")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.get_by_role("heading", name="Search results").wait_for()
    check(page, "search-results")


def test_practitioner_records_a_reflective_conversation(page, live_server, staff):
    from complexcases.screening.services import extract_import

    extract_import(
        source=extract_csv([row(crn="A000001", surname="Adams", forenames="Jo", **SIX_CRITERIA)]),
        filename="e.csv",
        imported_by=None,
    )
    call_command("generate_monthly_list", "--month", "2026-10")

    sign_in(page, live_server, "priya.hughes@example.com")
    page.get_by_role("link", name="Monthly list").first.click()
    page.get_by_role("link", name="Adams, Jo").click()
    page.get_by_role("button", name="Record reflective conversation").click()
    check(page, "reflective-conversation-form")

    page.get_by_role("button", name="Save reflective conversation").click()
    assert page.title().startswith("Error: ")
    check(page, "reflective-conversation-errors")

    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Notes").fill("We talked about housing and engagement.")
    page.get_by_label("Practitioner will request triage").check()
    page.get_by_role("button", name="Save reflective conversation").click()
    page.get_by_text("Reflective conversation saved").wait_for()
    assert re.search(
        r"Recorded: held on 3 October 2026 with Sam Okafor", page.locator("main").inner_text()
    )
    page.get_by_role("link", name="Copy the notes into nDelius").click()
    assert "We talked about housing" in page.get_by_label("Contact notes").input_value()
    check(page, "ndelius-text")
