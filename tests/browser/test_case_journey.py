"""One person through two cases in the browser (issue 20): the first closed with guidance at
triage; a second, later, referred, booked, heard, followed up and closed. At each step the case
page says where the case stands and who owns the next step; a duplicate request is refused
with a link to the open case; the ready queue shows the case once and drops it when booked.
Headless Chromium; axe on every page of the case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from complexcases.cases.models import Case
from panel.models import FollowUp, PanelBooking
from panel.reference import panel_roles_ensure_defaults
from panel.services import (
    follow_up_reassign,
    follow_up_record,
    panel_minutes_finalise,
    panel_minutes_save,
    pathway_close,
)
from tests.browser.test_screening_journey import sign_in
from tests.browser.test_triage_journey import check, sign_out
from tests.panel_fixtures import a_session, held
from tests.triage_fixtures import a_request
from triage.models import Theme, TriageRequest
from triage.services import (
    Blocker,
    triage_mark_held,
    triage_meeting_schedule,
    triage_outcome_record,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def triage_held_yesterday(world, request, outcome, **answers):
    """A meeting arranged by phone yesterday, recorded today, and its outcome."""
    # Asked for three days ago (the request's date is all the meeting is checked against).
    TriageRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - timedelta(days=3)
    )
    request.refresh_from_db()
    triage_meeting_schedule(
        request=request,
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=45,
        invitees=[(world["priya"], "Practitioner")],
        external_invitees=[],
        by=world["admin"],
    )
    triage_mark_held(request=request, attended=[], by=world["manager"])
    triage_outcome_record(
        request=request,
        blockers=[Blocker("No stable accommodation", list(Theme.objects.all()[:1]))],
        guidance="Use the housing pathway first.",
        outcome=outcome,
        by=world["manager"],
        **answers,
    )


def where(page) -> dict[str, str]:
    rows = page.locator(".cc-person-header .govuk-summary-list__row")
    return {
        rows.nth(i).locator("dt").inner_text().strip(): rows.nth(i)
        .locator("dd")
        .inner_text()
        .strip()
        for i in range(rows.count())
    }


def status(page) -> str:
    return page.locator(".cc-person-header .govuk-tag").first.inner_text().strip()


def test_one_person_two_cases(page, live_server, triage_world):
    w = triage_world
    panel_roles_ensure_defaults()
    for user in ("priya", "admin"):
        w[user].set_password("correct-horse-battery-staple")
        w[user].save()
    # The first case, months ago: closed with guidance at triage.
    first_request = a_request(w)
    triage_held_yesterday(w, first_request, "closed_with_guidance")
    first = Case.objects.get(pk=first_request.case_id)
    assert first.closed_reason == Case.ClosedReason.GUIDANCE

    # The practitioner asks again: a new case.
    sign_in(page, live_server, "priya.hughes@example.com")
    page.goto(f"{live_server.url}/people/A000001/")
    assert first.reference in page.locator("main").inner_text()
    page.get_by_role("button", name="Request triage").click()
    page.get_by_label("What is making the case complex or stuck?").fill("Housing failed again.")
    page.get_by_label("What has been tried?").fill("The housing pathway.")
    page.get_by_label("What support are you looking for?").fill("A panel's help.")
    page.get_by_role("group", name="Is this urgent?").get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Triage requested").wait_for()
    second = Case.objects.exclude(pk=first.pk).get()
    page.goto(f"{live_server.url}/people/A000001/")
    page.get_by_role("link", name=f"See case {second.reference}").click()
    page.get_by_role("heading", name=f"Case {second.reference}", exact=True).wait_for()
    assert status(page) == "Triage requested"
    assert where(page)["Next step"] == "Arrange the triage meeting"
    assert where(page)["Who"] == "Complex Cases team"
    assert page.get_by_role("link", name=first.reference).count() == 1  # the earlier case
    check(page, "case-requested")

    # A second request while the case is open is refused, with a link to the case.
    page.goto(f"{live_server.url}/people/A000001/request-triage")
    page.get_by_role("heading", name="There is already an open case for Adams, Jo").wait_for()
    check(page, "case-already-open")
    page.get_by_role("link", name=f"See case {second.reference}").click()
    page.get_by_role("heading", name=f"Case {second.reference}", exact=True).wait_for()
    sign_out(page)

    # Triage, held yesterday and recorded today, refers it to panel.
    request = TriageRequest.objects.get(case=second)
    triage_held_yesterday(w, request, "refer_to_panel", panel_ask="Help with housing.")
    session = a_session(w)

    # The case administrator books it from the case page.
    sign_in(page, live_server, "casey@example.com")
    page.goto(f"{live_server.url}/case/{second.reference}/")
    assert status(page) == "Waiting for a panel slot"
    assert where(page)["Who"] == "Case administrators"
    check(page, "case-awaiting-panel")
    page.goto(f"{live_server.url}/panel/ready/")
    assert (
        page.get_by_role("link", name=re.compile(rf"^Book case {second.reference} ")).count() == 1
    )
    page.goto(f"{live_server.url}/case/{second.reference}/")
    page.get_by_role("button", name="Book into a panel").click()
    page.get_by_role("heading", name="Book into a panel slot").wait_for()
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Book into this slot").click()
    page.get_by_role("heading", name="Who is invited").wait_for()
    page.goto(f"{live_server.url}/case/{second.reference}/")
    assert status(page) == "Booked into a panel"
    assert where(page)["Next step"].startswith("Panel on ")
    booking = PanelBooking.objects.get(case=second)
    check(page, "case-booked")
    page.get_by_role("link", name="Panel", exact=True).last.click()
    page.get_by_role("heading", name="Panel", exact=True).wait_for()
    assert page.locator("main table a").first.get_attribute("href") == f"/panel/cases/{booking.pk}/"
    check(page, "case-panel")
    page.goto(f"{live_server.url}/panel/ready/")
    assert (
        page.get_by_role("link", name=re.compile(rf"^Book case {second.reference} ")).count() == 0
    )

    # Heard: the minutes are final and the QDO's check-in is due.
    held(booking)
    assert session.slots.filter(pk=booking.slot_id).exists()
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Agreed."},
        attendance={invitee.pk: "attended" for invitee in booking.invitees.all()},
        by=w["admin"],
    )
    panel_minutes_finalise(booking=booking, by=w["admin"])
    follow_up = FollowUp.objects.get(booking=booking)
    page.goto(f"{live_server.url}/case/{second.reference}/")
    assert where(page)["Who"] == "A quality development officer"  # none in this team yet
    follow_up = follow_up_reassign(follow_up=follow_up, qdo=w["qdo"], by=w["admin"])
    page.goto(f"{live_server.url}/case/{second.reference}/")
    assert status(page) == "In follow-up"
    assert where(page)["Next step"] == "Follow-up check-in 1"
    assert where(page)["Who"] == follow_up.qdo.get_full_name()
    page.get_by_role("link", name="Check-in 1").click()
    page.get_by_role("heading", name="Follow-up check-in 1").wait_for()
    page.get_by_role("link", name=f"case {second.reference}").click()
    page.get_by_role("heading", name=f"Case {second.reference}", exact=True).wait_for()
    check(page, "case-in-follow-up")

    # Followed up and closed on the pathway.
    follow_up_record(
        follow_up=follow_up,
        progress={},
        developments="Settled.",
        wellbeing=FollowUp.Wellbeing.WELL,
        wellbeing_notes="",
        further_support=FollowUp.FurtherSupport.NONE,
        early_outcomes=[],
        other_outcome="",
        by=w["qdo"],
    )
    pathway_close(booking=booking, reason="Settled in stable housing", by=w["admin"])
    page.goto(f"{live_server.url}/case/{second.reference}/")
    assert status(page) == "Closed"
    assert "closed on the pathway after panel" in where(page)["Closed"]
    check(page, "case-closed")
    sign_out(page)

    sign_in(page, live_server, "priya.hughes@example.com")
    page.goto(f"{live_server.url}/people/A000001/")
    earlier = page.get_by_role("heading", name="Earlier cases").locator(
        "xpath=following-sibling::ul[1]"
    )
    assert first.reference in earlier.inner_text()
    assert second.reference in earlier.inner_text()
    assert page.get_by_role("button", name="Request triage").count() == 1
