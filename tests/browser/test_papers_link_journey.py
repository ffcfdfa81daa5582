"""A council invitee opens the papers with the personal link from their invitation: their
address, then the code emailed to it, then the download; the team sees the link on the case
page and stops it. Headless Chromium, anonymous, axe on every page (ADR 0045)."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from panel.models import PapersLink
from panel.services import (
    panel_booking_create,
    panel_invitations_send,
    panel_invitee_add,
    panel_paper_add,
)
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GUEST = "dee.cole@council.example"


@pytest.fixture
def eager_celery():
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name


def last_email_to(address):
    return [m for m in mail.outbox if m.to == [address]][-1]


def test_an_outside_invitee_downloads_the_papers_and_the_team_stops_the_link(
    page, browser, live_server, panel_world, eager_celery
):
    world = panel_world
    booking = panel_booking_create(
        slot=world["session"].slots.first(), triage_record=world["record"], by=world["admin"]
    )
    panel_invitee_add(
        booking=booking,
        role=world["roles"]["adult_social_care"],
        name="Dee Cole",
        organisation="Example County Council",
        email=GUEST,
        by=world["admin"],
    )
    panel_paper_add(
        booking=booking,
        title="Psychology report",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.7\n% synthetic\n"),
        by=world["admin"],
    )
    mail.outbox.clear()
    panel_invitations_send(booking=booking, by=world["admin"])
    session = booking.slot.session
    session.papers_released_at = timezone.now()
    session.save(update_fields=["papers_released_at"])
    path = re.search(r"/papers/[A-Za-z0-9_-]+/", last_email_to(GUEST).body).group(0)

    page.goto(f"{live_server.url}{path}")
    page.get_by_role("heading", name="Confirm your email address").wait_for()
    check(page, "papers-link-address")
    page.get_by_role("button", name="Send the code").click()
    page.get_by_role("link", name="Enter your email address").wait_for()
    check(page, "papers-link-address-error")
    page.get_by_label("Email address").fill(GUEST)
    page.get_by_role("button", name="Send the code").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    check(page, "papers-link-code")
    code = re.search(r"\b(\d{6})\b", last_email_to(GUEST).body).group(1)
    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Enter the code as 6 numbers, like 038514").click()
    assert page.evaluate("document.activeElement.name") == "code"
    check(page, "papers-link-code-error")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Papers for the panel").wait_for()
    check(page, "papers-link-files")
    with page.expect_download() as download:
        page.get_by_role("link", name="Psychology report").click()
    assert download.value.suggested_filename == "psychology-report.pdf"
    entry = AccessLogEntry.objects.filter(record_type="panel paper").latest("pk")
    assert (entry.action, entry.recipient, entry.user) == ("disclosure", GUEST, None)

    # The team stops the link from the case page; the invitee's next visit finds it dead.
    world["admin"].set_password("correct-horse-battery-staple")
    world["admin"].save()
    team = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    team_page = team.new_page()
    team_page.console_errors = []
    sign_in(team_page, live_server, "casey@example.com")
    team_page.goto(f"{live_server.url}/panel/cases/{booking.pk}/")
    team_page.get_by_role(
        "heading", name="Links to the papers for invitees outside the service"
    ).wait_for()
    check(team_page, "panel-papers-links")
    team_page.get_by_role("button", name=f"Stop this link sent to {GUEST}").click()
    team_page.get_by_text(f"The link sent to {GUEST} no longer works").wait_for()
    assert PapersLink.objects.get(email=GUEST).revoked_at is not None
    team.close()

    page.reload()
    page.get_by_role("heading", name="This link does not work").wait_for()
    screenshot(page, "papers-link-not-working")
    assert axe_violations(page) == []
    # The page itself answers 404, which the console reports; nothing else may fail.
    assert [e for e in page.console_errors if "404 (Not Found)" not in e] == []
