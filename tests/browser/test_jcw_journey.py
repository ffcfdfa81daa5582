"""An OPD clinician opens joint case work with an aim and records a direct contact with two
activity types; the practitioner leaves feedback. Headless Chromium; axe on every page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jcw.models import JcwContact, JcwEpisode, JcwFeedback
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in

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


def fill_date(page, day):
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_open_record_a_direct_contact_and_give_feedback(page, live_server, jcw_world, eager_celery):
    for user in ("clinician", "priya"):
        jcw_world[user].set_password("correct-horse-battery-staple")
        jcw_world[user].save()

    # The clinician opens joint case work with an aim.
    sign_in(page, live_server, "olu.brennan@example.com")
    page.get_by_role("link", name="Joint case work").first.click()
    check(page, "jcw-caseload-empty")
    page.get_by_role("button", name="Start joint case work").click()
    check(page, "jcw-start")
    page.get_by_label("CRN").fill("A000001")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Start joint case work").wait_for()
    check(page, "jcw-open-form")
    fill_date(page, timezone.localdate() - timedelta(days=7))
    page.get_by_label("What is the dilemma to solve?").fill(
        "Misses appointments whenever his practitioner changes."
    )
    page.get_by_label("What is the desired outcome?").fill(
        "A shared formulation and a plan for the handover."
    )
    page.get_by_label("How many sessions are planned?").fill("4")
    page.get_by_role("button", name="Start joint case work").click()
    page.get_by_text("Joint case work started").wait_for()
    assert "0 of 4 planned" in page.locator("main").inner_text()
    check(page, "jcw-episode-opened")

    # ...and records a direct contact with two activity types.
    page.get_by_role("button", name="Record a contact").click()
    check(page, "jcw-contact-form")
    page.get_by_label("Direct joint case work", exact=True).check()
    when = timezone.localtime() - timedelta(hours=1)
    fill_date(page, when)
    page.get_by_label("Time of the contact").fill(f"{when:%H:%M}")
    activities = page.get_by_role("group", name="What did the joint case work involve?")
    activities.get_by_label("Creating a psychologically-informed formulation").check()
    activities.get_by_label(
        "Supporting attendance at a meeting, such as MAPPA or a professionals meeting"
    ).check()
    page.get_by_label("Anyone else who took part (optional)").fill("Social worker")
    page.get_by_label("Notes", exact=True).fill(
        "Met together before the MAPPA meeting; drafted the formulation."
    )
    page.get_by_role("button", name="Save contact").click()
    page.get_by_role("heading", name="Direct joint case work: session 1").wait_for()
    check(page, "jcw-contact")
    page.get_by_role("link", name="Copy the contact into nDelius").click()
    text = page.get_by_label("Contact notes").input_value()
    assert text.startswith("OPD joint case work: direct (session 1 of 4 planned)")
    check(page, "jcw-contact-ndelius")
    page.get_by_role("button", name="Sign out").click()

    # The practitioner gives feedback on the contact.
    sign_in(page, live_server, "priya.hughes@example.com")
    page.get_by_role("link", name="Joint case work").first.click()
    check(page, "jcw-caseload-practitioner")
    page.get_by_role("link", name="Adams, Jo joint case work").click()
    check(page, "jcw-episode-practitioner")
    page.get_by_role("link", name="Direct joint case work").click()
    page.get_by_role("button", name="Give feedback on this contact").click()
    check(page, "jcw-feedback-form")
    page.get_by_label("What worked well? (optional)").fill("Thinking it through together.")
    for statement, answer in [
        ("I have a clear understanding", "Slightly agree"),
        ("positive impact on my practice", "Strongly agree"),
        ("apply skills from joint case work", "Slightly agree"),
        ("important part of my work", "Strongly agree"),
        ("positive impact on risk management", "Slightly agree"),
    ]:
        page.get_by_role("group", name=statement).get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Before the joint case work").get_by_label(
        "Not very confident"
    ).check()
    page.get_by_role("group", name="How confident are you now").get_by_label(
        "Confident", exact=True
    ).check()
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Feedback sent").wait_for()
    assert "Thinking it through together." in page.locator("main").inner_text()
    check(page, "jcw-contact-with-feedback")

    episode = JcwEpisode.objects.get()
    assert episode.has_aim
    assert episode.clinician == jcw_world["clinician"]
    contact = JcwContact.objects.get()
    assert (contact.contact_type, contact.activities.count()) == ("direct", 2)
    feedback = JcwFeedback.objects.get()
    assert (feedback.practice_impact, feedback.confidence_before, feedback.confidence_after) == (
        5,
        2,
        4,
    )
    assert "olu.brennan@example.com" in [address for m in mail.outbox for address in m.to]
