"""After the panel, in headless Chromium: the action owner updates and completes an action
from "My actions", and a QDO records a follow-up check-in with an early outcome. axe on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from panel.models import FollowUp, PanelAction
from panel.reference import early_outcomes_ensure_defaults
from panel.services import (
    ActionDraft,
    panel_actions_add,
    panel_booking_create,
    panel_minutes_finalise,
    panel_minutes_save,
)
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in
from tests.panel_fixtures import held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name


@pytest.fixture
def heard_case(panel_world):
    from complexcases.celery import app

    app.conf.task_always_eager = True
    early_outcomes_ensure_defaults()
    world = panel_world
    booking = held(
        panel_booking_create(
            slot=world["session"].slots.first(), triage_record=world["record"], by=world["admin"]
        )
    )
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Two actions agreed."},
        attendance={i.pk: "attended" for i in booking.invitees.all()},
        by=world["admin"],
    )
    panel_minutes_finalise(booking=booking, by=world["admin"])
    panel_actions_add(
        booking=booking,
        actions=[
            ActionDraft(
                "Escalate the approved premises referral",
                timezone.localdate() + timedelta(days=3),
                owner=world["priya"],
            ),
            ActionDraft(
                "Arrange a professionals meeting",
                timezone.localdate() + timedelta(days=12),
                owner=world["priya"],
            ),
        ],
        by=world["admin"],
    )
    for user in ("priya", "qdo"):
        world[user].set_password("correct-horse-battery-staple")
        world[user].save()
    yield world, booking
    app.conf.task_always_eager = False


def test_owner_updates_and_completes_an_action(page, live_server, heard_case):
    _world, _ = heard_case
    sign_in(page, live_server, "priya.hughes@example.com")
    assert "Needs you today" in page.locator("main").inner_text()
    page.get_by_role("link", name="My actions").first.click()
    page.get_by_role("heading", name="My actions").wait_for()
    check(page, "my-actions")
    assert "Due in 3 days" in page.locator("main").inner_text()
    page.get_by_role("link", name="Escalate the approved premises referral").click()
    check(page, "action-detail")
    page.get_by_label("What has happened?").fill("Spoke to the approved premises manager.")
    page.get_by_role("button", name="Add update").click()
    page.get_by_text("Update added").wait_for()
    page.get_by_role("group", name="Is the action done?").get_by_label("Done").check()
    page.get_by_label("Outcome").fill("Place secured from next Monday.")
    page.get_by_role("button", name="Complete action").click()
    page.get_by_text("Action completed").wait_for()
    check(page, "my-actions-after-completing")
    action = PanelAction.objects.get(description="Escalate the approved premises referral")
    assert (action.status, action.outcome_note) == ("done", "Place secured from next Monday.")
    assert action.updates.get().note == "Spoke to the approved premises manager."


def test_qdo_records_a_check_in_with_an_early_outcome(page, live_server, heard_case):
    _world, booking = heard_case
    sign_in(page, live_server, "quinn@example.com")
    page.get_by_role("link", name="Follow-ups").first.click()
    page.get_by_role("heading", name="My follow-up check-ins").wait_for()
    check(page, "follow-ups")
    page.get_by_role("link", name="Adams, Jo (A000001)").click()
    check(page, "follow-up-form")
    page.get_by_label("Escalate the approved premises referral").fill("Escalated; place offered.")
    page.get_by_label("Developments in the case").fill("Engaging better since the panel.")
    page.get_by_role("group", name="How is the practitioner?").get_by_label(
        "Under pressure"
    ).check()
    page.get_by_role("group", name="Is further support needed?").get_by_label(
        "No further support needed"
    ).check()
    page.get_by_label("Approved premises place secured").check()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Check-in recorded").wait_for()
    check(page, "follow-up-recorded")
    follow_up = FollowUp.objects.get(booking=booking)
    assert follow_up.status == "completed"
    assert [o.name for o in follow_up.early_outcomes.all()] == ["Approved premises place secured"]
    page.get_by_role("button", name="Copy into nDelius").click()
    assert (
        "Early outcomes: Approved premises place secured" in page.locator("textarea").input_value()
    )
    check(page, "follow-up-ndelius")
