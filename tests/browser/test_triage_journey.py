"""A practitioner requests triage; a programme manager schedules it and records "refer to panel".
Headless Chromium with the real GOV.UK/MoJ assets; axe on every page of the journey."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in
from tests.triage_fixtures import a_request, next_week_at_10, requested_days_ago
from triage.models import TriageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_request_schedule_and_refer_to_panel(page, live_server, triage_world, eager_celery):
    for user in ("priya", "manager"):
        triage_world[user].set_password("correct-horse-battery-staple")
        triage_world[user].save()

    sign_in(page, live_server, "priya.hughes@example.com")
    page.goto(f"{live_server.url}/people/A000001/")
    page.get_by_role("button", name="Request triage").click()
    check(page, "triage-request-form")
    page.get_by_label("What is making the case complex or stuck?").fill(
        "No accommodation on release."
    )
    page.get_by_label("What has been tried?").fill("Two approved premises referrals.")
    page.get_by_label("What support are you looking for?").fill("Help securing an AP place.")
    page.get_by_role("group", name="Is this urgent?").get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before sending the request").wait_for()
    check(page, "triage-check-answers")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Triage requested").wait_for()
    check(page, "triage-confirmation")
    sign_out(page)

    sign_in(page, live_server, "morgan.ellis@example.com")
    page.get_by_role("link", name="Triage").first.click()
    check(page, "triage-queue")
    page.get_by_role("link", name="Adams, Jo triage request").click()
    check(page, "triage-detail-requested")
    page.get_by_role("button", name="Schedule meeting").click()
    when = next_week_at_10()
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Start time").fill("10am")
    check(page, "triage-schedule")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_text("Triage meeting scheduled").wait_for()
    assert "10am to 10:45am" in page.locator("main").inner_text()
    check(page, "triage-detail-scheduled")

    # The meeting happens.
    request = TriageRequest.objects.get()
    assert "once it has started" in page.locator("main").inner_text()
    request.meeting.starts_at = timezone.now() - timedelta(hours=1)
    request.meeting.save()
    page.reload()

    page.get_by_role("button", name="Record meeting as held").click()
    check(page, "triage-held")
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("heading", name="Record the triage outcome").wait_for()
    check(page, "triage-outcome-form")
    page.get_by_label("Blocker 1", exact=True).fill("No AP place agreed before release")
    page.get_by_role("group", name="Themes for blocker 1").get_by_label(
        "Housing or approved premises"
    ).check()
    page.get_by_label("Guidance given").fill("Escalate the AP referral to the head of PDU.")
    page.get_by_label("Refer to panel").check()
    page.get_by_label("What is the panel asked to help with?").fill("Secure an AP place.")
    page.get_by_role("button", name="Save outcome").click()
    page.get_by_role("heading", name="Outcome: refer to panel").wait_for()
    check(page, "triage-outcome-recorded")
    page.get_by_role("link", name="Copy the triage record into nDelius").click()
    assert "Outcome: Refer to panel" in page.get_by_label("Contact notes").input_value()
    check(page, "triage-ndelius")


def test_a_meeting_held_yesterday_can_be_recorded_today(
    page, live_server, triage_world, eager_celery
):
    """Arranged by phone and held yesterday: recorded today, with no invitations sent."""
    triage_world["manager"].set_password("correct-horse-battery-staple")
    triage_world["manager"].save()
    request = requested_days_ago(a_request(triage_world), 3)
    mail.outbox.clear()

    sign_in(page, live_server, "morgan.ellis@example.com")
    page.goto(f"{live_server.url}/triage/{request.pk}/")
    page.get_by_role("button", name="Schedule meeting").click()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Day").fill(str(yesterday.day))
    page.get_by_label("Month").fill(str(yesterday.month))
    page.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Start time").fill("2pm")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_text("No invitations were sent: it has already taken place").wait_for()
    check(page, "triage-detail-recorded-after-the-fact")
    assert mail.outbox == []

    page.get_by_role("button", name="Record meeting as held").click()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("heading", name="Record the triage outcome").wait_for()
    request.refresh_from_db()
    assert request.status == TriageRequest.Status.HELD
    assert timezone.localdate(request.meeting.starts_at) == yesterday
