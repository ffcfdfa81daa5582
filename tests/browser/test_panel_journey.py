"""A case administrator books a referred case into a panel session, adjusts who is invited,
attaches a paper, then records attendance, minutes and three actions and finalises.
Headless Chromium with the real GOV.UK/MoJ assets; axe on every page of the journey."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from panel.models import PanelAction, PanelBooking, PanelMinutes, PanelPaper
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_screening_journey import sign_in
from tests.panel_fixtures import held

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


def test_book_invite_attach_minute_and_finalise(
    page, live_server, panel_world, eager_celery, tmp_path
):
    admin = panel_world["admin"]
    admin.set_password("correct-horse-battery-staple")
    admin.save()
    sign_in(page, live_server, "casey@example.com")

    page.get_by_role("link", name="Panel").first.click()
    check(page, "panel-sessions")
    page.get_by_role("button", name="Cases ready for panel").click()
    check(page, "panel-ready")
    page.get_by_role(
        "link", name=re.compile(r"^Book case CC-\d{4}-\d{5} \(Adams, Jo\) into a slot$")
    ).click()
    check(page, "panel-book")
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Book into this slot").click()

    # The bespoke list: add a prison representative from outside the service, remove the QDO.
    page.get_by_role("heading", name="Who is invited").wait_for()
    check(page, "panel-invitees")
    page.get_by_label("Full name").fill("Dee Cole")
    page.get_by_label("Organisation").fill("HMP Example")
    page.get_by_label("Email address").fill("dee.cole@justice.example")
    page.locator("select[name=external-role]").select_option(label="Prison representative")
    page.get_by_role("button", name="Add someone outside the service").click()
    page.get_by_text("Dee Cole added to the list").wait_for()
    page.get_by_role("button", name="Remove Quinn Dawson").click()
    page.get_by_text("Quinn Dawson removed from the list").wait_for()
    mail.outbox.clear()
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("Invitations sent to").wait_for()
    check(page, "panel-case-booked")
    # One email each: nobody sees another invitee's address; Dee (no account) gets her own link.
    assert all(len(message.to) == 1 for message in mail.outbox)
    (invitation,) = [m for m in mail.outbox if m.to == ["dee.cole@justice.example"]]
    assert "/papers/" in invitation.body
    assert not [m for m in mail.outbox if m.to == ["quinn@example.com"]]

    # A paper.
    page.get_by_role("button", name="Attach a paper").click()
    check(page, "panel-paper-upload")
    paper = tmp_path / "psychology-report.pdf"
    paper.write_bytes(b"%PDF-1.7\n% synthetic test paper\n")
    page.get_by_label("Title").fill("Psychology report")
    page.get_by_label("Upload a file").set_input_files(str(paper))
    page.get_by_role("button", name="Attach paper").click()
    page.get_by_text("Paper attached").wait_for()
    assert PanelPaper.objects.get().kind == "pdf"
    page.get_by_role("link", name="Case summary pack").click()
    check(page, "panel-summary-pack")
    page.go_back()

    # The panel meets.
    booking = held(PanelBooking.objects.get())
    page.reload()
    page.get_by_role("button", name="Record minutes").click()
    page.get_by_role("heading", name="Record minutes").wait_for()
    for select in page.locator("select[name^=attendance_]").all():
        select.select_option("attended")
    page.locator("select[name^=attendance_]").last.select_option("apologies")
    page.get_by_label("1. Welcome and introductions").fill("Chair welcomed members.")
    page.get_by_label("The chair reminded everyone").check()
    page.get_by_label("2. Case overview").fill("Priya presented the case.")
    page.get_by_label("5. Chair's summary of actions").fill("Three actions agreed.")
    check(page, "panel-minutes-edit")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft minutes saved").wait_for()

    # Three actions, the third row added with "Add another action".
    page.get_by_role("button", name="Add actions").click()
    page.get_by_role("heading", name="Add actions").wait_for()
    due = timezone.localdate() + timedelta(days=14)
    rows = [
        ("Escalate the approved premises referral", {"owner": "Nadia Price"}),
        (
            "Share the mental health assessment",
            {"owner_name": "Mina Shah, CMHT", "chaser": "Quinn Dawson"},
        ),
        ("Arrange a professionals meeting", {"owner": "Priya Hughes"}),
    ]
    page.get_by_role("button", name="Add another action").click()
    page.get_by_role("group", name="Action 4").wait_for()
    for number, (description, who) in enumerate(rows):
        group = page.get_by_role("group", name=f"Action {number + 1}")
        group.get_by_label("Action", exact=True).fill(description)
        if "owner" in who:
            group.locator(f"select[name=form-{number}-owner]").select_option(label=who["owner"])
        else:
            group.get_by_label("Owner outside the service").fill(who["owner_name"])
            group.locator(f"select[name=form-{number}-chaser]").select_option(label=who["chaser"])
        group.get_by_label("Day").fill(str(due.day))
        group.get_by_label("Month").fill(str(due.month))
        group.get_by_label("Year").fill(str(due.year))
    check(page, "panel-actions-add")
    page.get_by_role("button", name="Save actions").click()
    page.get_by_text("3 actions recorded").wait_for()
    check(page, "panel-minutes-draft")

    mail.outbox.clear()
    page.get_by_role("button", name="Finalise and send").click()
    page.get_by_text("Minutes finalised").wait_for()
    check(page, "panel-minutes-final")

    minutes = PanelMinutes.objects.get(booking=booking)
    assert (minutes.status, minutes.version) == ("final", 1)
    assert PanelAction.objects.filter(booking=booking, status="open").count() == 3
    booking.refresh_from_db()
    assert booking.status == PanelBooking.Status.HEARD
    sent_each = [m for m in mail.outbox if m.subject == "Complex Cases panel: minutes and actions"]
    assert sorted(m.to for m in sent_each) == [  # one email each (issue 21)
        ["nadia.price@example.com"],
        ["priya.hughes@example.com"],
        ["sam.okafor@example.com"],
    ]
