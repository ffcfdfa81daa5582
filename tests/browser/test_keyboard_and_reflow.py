"""Keyboard only (Tab, Shift+Tab, Enter, Space, and typing) with a visible focus at every
step; and reflow at 320 CSS pixels (WCAG 1.4.10) for the list, person and minutes pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from panel.models import PanelAction
from panel.services import (
    ActionDraft,
    panel_actions_add,
    panel_booking_create,
    panel_minutes_finalise,
    panel_minutes_save,
)
from tests.auth import sign_in_verified
from tests.browser.conftest import screenshot
from tests.panel_fixtures import held
from triage.models import TriageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none';
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName, text: (el.innerText || el.value || '').trim().slice(0, 80),
          name: el.getAttribute('name') || '', label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : '',
          type: el.getAttribute('type') || ''};
}"""


def signed_in(browser, live_server, user):
    client = sign_in_verified(Client(), user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    return context, page


def tab_to(page, matches, *, limit=120, backwards=False):
    """Press Tab (or Shift+Tab) until the focused element matches; every stop must show focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "BODY":
            assert page.evaluate(FOCUS_VISIBLE), f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("never reached the element by keyboard")


def test_request_triage_by_keyboard_only(browser, live_server, triage_world):
    context, page = signed_in(browser, live_server, triage_world["priya"])
    page.goto(f"{live_server.url}/people/A000001/")
    tab_to(page, lambda f: f["text"] == "Request triage")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Request triage").wait_for()
    # "Who is asking?" is pre-filled; move through the three questions, typing each answer.
    tab_to(page, lambda f: f["name"] == "blockers")
    page.keyboard.type("No accommodation on release.")
    tab_to(page, lambda f: f["name"] == "tried")
    page.keyboard.type("Two approved premises referrals.")
    tab_to(page, lambda f: f["name"] == "support_sought")
    page.keyboard.type("Help securing an AP place.")
    # Shift+Tab back to check the first answer is still there, then on to "Is this urgent?".
    tab_to(page, lambda f: f["name"] == "blockers", backwards=True)
    tab_to(page, lambda f: f["name"] == "urgent")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["text"] == "Continue")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Check your answers before sending the request").wait_for()
    tab_to(page, lambda f: f["text"] == "Send request")
    screenshot(page, "keyboard-triage-check-answers")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Triage requested").wait_for()
    request = TriageRequest.objects.get()
    assert request.blockers == "No accommodation on release."
    assert request.urgent is True  # Space selected the first option, "Yes"
    context.close()


def heard_with_action(world):
    booking = held(
        panel_booking_create(
            slot=world["session"].slots.first(), triage_record=world["record"], by=world["admin"]
        )
    )
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "One action agreed.", "case_overview": "A long overview " * 40},
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
            )
        ],
        by=world["admin"],
    )
    return booking


def test_complete_an_action_by_keyboard_only(browser, live_server, panel_world):
    from complexcases.celery import app

    app.conf.task_always_eager = True
    try:
        heard_with_action(panel_world)
    finally:
        app.conf.task_always_eager = False
    context, page = signed_in(browser, live_server, panel_world["priya"])
    page.goto(f"{live_server.url}/actions/")
    tab_to(page, lambda f: f["text"] == "Escalate the approved premises referral")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Action").first.wait_for()
    tab_to(page, lambda f: f["name"] == "close-status")  # the first radio, "Done"
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "close-outcome_note")
    page.keyboard.type("Place secured.")
    tab_to(page, lambda f: f["text"] == "Complete action")
    page.keyboard.press("Enter")
    page.get_by_text("Action completed").wait_for()
    action = PanelAction.objects.get()
    assert (action.status, action.outcome_note) == ("done", "Place secured.")
    context.close()


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const offenders = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('table') || (el.closest('.cc-table-scroll') && el.closest('.cc-table-scroll') !== el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) offenders.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return {scroll: document.documentElement.scrollWidth, width, offenders: offenders.slice(0, 5)};
}"""


def test_list_person_and_minutes_pages_reflow_at_320_pixels(browser, live_server, panel_world):
    from complexcases.celery import app

    app.conf.task_always_eager = True
    try:
        booking = heard_with_action(panel_world)
    finally:
        app.conf.task_always_eager = False
    client = sign_in_verified(Client(), panel_world["admin"])
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    failures = []
    for name, path in [
        ("monthly-list", "/cases/"),
        ("person", "/people/A000001/"),
        ("minutes", f"/panel/cases/{booking.pk}/minutes/"),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, name
        result = page.evaluate(OVERFLOW)
        screenshot(page, f"reflow-320-{name}")
        failures.append((name, result)) if result["offenders"] or result["scroll"] > result[
            "width"
        ] else None
    assert failures == []
    context.close()
