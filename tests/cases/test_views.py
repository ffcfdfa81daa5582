"""The case page and the person page's case: what each role sees, the links between the
records of a case, and one access log row per page."""

import pytest
from django.test import Client
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from panel.services import panel_booking_create
from tests.html import h1, parse
from tests.triage_fixtures import a_request
from triage.services import triage_withdraw


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.reference])


def summary(page) -> dict[str, str]:
    return {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in page.select(".cc-person-header .govuk-summary-list__row")
    }


@pytest.mark.django_db
def test_a_referred_case_says_where_it_stands_and_who_books_it(panel_world):
    w = panel_world
    case = w["record"].request.case
    before = AccessLogEntry.objects.count()
    response = as_user(w["priya"]).get(case_url(case))
    assert response.status_code == 200
    # One consultation row for the person.
    logged = AccessLogEntry.objects.order_by("pk")[before:]
    assert [(e.action, e.record_type, e.person_crn) for e in logged] == [
        ("consultation", "case", "A000001")
    ]
    assert h1(response) == f"Case {case.reference}"
    page = parse(response)
    assert page.select_one(".govuk-tag").get_text(strip=True) == "Waiting for a panel slot"
    assert summary(page)["Next step"] == "Book into a panel"
    assert summary(page)["Who"] == "Case administrators"
    # The practitioner cannot book; the case administrator gets the button.
    assert not page.find("a", string="Book into a panel")
    admin_page = parse(as_user(w["admin"]).get(case_url(case)))
    assert admin_page.find("a", string="Book into a panel")["href"] == reverse(
        "panel:book", args=[w["record"].pk]
    )
    # The triage section and the history link to the triage request.
    triage_link = reverse("triage:detail", args=[w["record"].request_id])
    # The sub navigation: Overview, a page per workflow with records on the case, History.
    tabs = {a.get_text(strip=True): a["href"] for a in page.select(".moj-sub-navigation__link")}
    assert list(tabs) == ["Overview", "Triage", "History"]
    assert page.select_one(".moj-sub-navigation__link[aria-current=page]").get_text() == "Overview"
    triage_page = parse(as_user(w["priya"]).get(tabs["Triage"]))
    assert triage_page.h1.get_text(strip=True) == f"Case {case.reference}"
    assert triage_page.select_one("main table a")["href"] == triage_link
    history_page = parse(as_user(w["priya"]).get(tabs["History"]))
    history = [a["href"] for a in history_page.select(".moj-timeline__title a")]
    assert triage_link in history
    assert case_url(case) in history
    assert as_user(w["priya"]).get(f"{case_url(case)}panel/").status_code == 404  # none yet


@pytest.mark.django_db
def test_a_booked_case_links_to_its_panel_booking(panel_world):
    w = panel_world
    booking = panel_booking_create(
        slot=w["session"].slots.first(), triage_record=w["record"], by=w["admin"]
    )
    page = parse(as_user(w["admin"]).get(case_url(booking.case)))
    assert page.select_one(".govuk-tag").get_text(strip=True) == "Booked into a panel"
    assert summary(page)["Next step"].startswith("Panel on ")
    panel_page = parse(as_user(w["admin"]).get(f"{case_url(booking.case)}panel/"))
    assert panel_page.select_one("main table a")["href"] == reverse(
        "panel:booking", args=[booking.pk]
    )
    # The panel has not started: no "Record the minutes" button yet.
    assert not page.find("a", string="Record the minutes")


@pytest.mark.django_db
def test_the_person_page_shows_the_open_case_instead_of_request_triage(triage_world):
    w = triage_world
    person_url = reverse("people:person", args=["A000001"])
    priya = as_user(w["priya"])
    page = parse(priya.get(person_url))
    assert page.find("a", string="Request triage")
    request = a_request(w)
    case = request.case
    page = parse(priya.get(person_url))
    assert not page.find("a", string="Request triage")
    assert page.find("a", string=f"See case {case.reference}")["href"] == case_url(case)
    assert "Triage requested" in page.get_text()
    # Closed: "Request triage" again, and the case among the earlier ones.
    triage_withdraw(request=request, reason="Resolved locally", by=w["priya"])
    page = parse(priya.get(person_url))
    assert page.find("a", string="Request triage")
    earlier = page.find("h3", string="Earlier cases").find_next("ul").get_text(" ", strip=True)
    assert case.reference in earlier
    assert "request withdrawn" in earlier


@pytest.mark.django_db
def test_someone_who_may_not_see_the_person_gets_not_found(triage_world):
    case = a_request(triage_world, "elsewhere", requested_by=triage_world["other"]).case
    assert as_user(triage_world["priya"]).get(case_url(case)).status_code == 404
    assert as_user(triage_world["other"]).get(case_url(case)).status_code == 200


@pytest.mark.django_db
def test_needs_you_today_comes_from_case_status(panel_world):
    w = panel_world
    a_request(w, "unlisted")  # a second case, its triage to arrange
    admin_home = parse(as_user(w["admin"]).get(reverse("home")))
    waiting = admin_home.find("a", string="1 case waiting for a panel slot")
    assert waiting["href"] == reverse("panel:ready")
    to_arrange = admin_home.find("a", string="1 triage request to arrange a meeting for")
    assert to_arrange["href"] == reverse("triage:queue")
    # Booking the case takes it off the list; a practitioner never sees either line.
    panel_booking_create(slot=w["session"].slots.first(), triage_record=w["record"], by=w["admin"])
    admin_home = parse(as_user(w["admin"]).get(reverse("home")))
    assert not admin_home.find("a", string="1 case waiting for a panel slot")
    priya_home = parse(as_user(w["priya"]).get(reverse("home"))).get_text()
    assert "waiting for a panel slot" not in priya_home
    assert "to arrange a meeting for" not in priya_home


@pytest.mark.django_db
def test_emails_about_a_case_carry_its_reference(
    triage_world, eager_celery, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        request = a_request(triage_world)
    assert {m.subject for m in mail.outbox} == {"Complex Cases: triage request received"}
    for message in mail.outbox:
        assert message.body.endswith(f"Case reference: {request.case.reference}\n")


@pytest.mark.django_db
def test_the_history_page_shows_the_team_who_moved_the_case(panel_world):
    w = panel_world
    case = w["record"].request.case
    history = reverse("cases:part", args=[case.reference, "history"])
    team_page = parse(as_user(w["admin"]).get(history))
    heading = team_page.find("h2", string="Changes to the case's status")
    rows = heading.find_next("table").select("tbody tr")
    # Requested, then scheduled, held and referred: the newest first.
    assert len(rows) == 4
    assert "Waiting for a panel slot" in rows[0].get_text(" ", strip=True)
    # The practitioner sees the history, not the record of changes.
    priya_page = parse(as_user(w["priya"]).get(history))
    assert priya_page.find("h2", string="History")
    assert not priya_page.find("h2", string="Changes to the case's status")


@pytest.mark.django_db
def test_the_follow_ups_list_names_the_case(panel_world):
    from tests.cases.test_journey import hear

    w = panel_world
    booking = panel_booking_create(
        slot=w["session"].slots.first(), triage_record=w["record"], by=w["admin"]
    )
    hear(booking, w["admin"])
    page = parse(as_user(w["admin"]).get(reverse("panel:follow-ups") + "?show=all"))
    assert f"Case {booking.case.reference}" in page.select_one("main table").get_text(
        " ", strip=True
    )


@pytest.mark.django_db
def test_the_triage_queue_and_record_pages_say_where_the_case_stands(triage_world):
    request = a_request(triage_world)
    reference = request.case.reference
    queue = parse(as_user(triage_world["admin"]).get(reverse("triage:queue")))
    assert f"case {reference}: triage requested" in queue.select_one("main table").get_text(" ")
    triage_withdraw(request=request, reason="Sorted at supervision", by=triage_world["priya"])
    record = parse(as_user(triage_world["priya"]).get(reverse("triage:detail", args=[request.pk])))
    caption = " ".join(record.select_one(".govuk-caption-l").get_text().split())
    assert caption == f"Adams, Jo (A000001), case {reference} (closed)"
