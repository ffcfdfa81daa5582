"""The dashboard, its CSV downloads and the monthly report, page by page: who may open them,
what they show, what is suppressed and what is logged."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.html import error_summary, h1, navigation, parse, table_rows, title
from triage.models import Theme

from .builders import grow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

DASHBOARD = reverse("reporting:dashboard")
CSV = reverse("reporting:dashboard-csv")
REPORT = reverse("reporting:monthly-report")
REPORT_CSV = reverse("reporting:monthly-report-csv")


def signed_in(user) -> Client:
    return sign_in_verified(Client(), user)


def rows_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def big_numbers(response) -> dict[str, str]:
    return {
        item.select_one(".cc-big-number__label").get_text(strip=True): item.select_one(
            ".cc-big-number__value"
        ).get_text(strip=True)
        for item in parse(response).select(".cc-big-number")
    }


# The ladder ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in (DASHBOARD, CSV, REPORT, REPORT_CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role",
    [
        Role.PANEL_MEMBER,
        Role.OPD_CLINICIAN,
        Role.DATA_PROTECTION_OFFICER,
        Role.SYSTEM_ADMINISTRATOR,
    ],
)
def test_roles_without_figures_are_refused(world, role):
    client = signed_in(UserFactory(roles=[role], is_staff=role == Role.SYSTEM_ADMINISTRATOR))
    for url in (DASHBOARD, CSV, REPORT, REPORT_CSV):
        assert client.get(url).status_code == 403, (role, url)


def test_practitioners_may_not_open_the_monthly_report(world):
    client = signed_in(world.users["pa"])
    assert client.get(REPORT).status_code == 403
    assert client.get(REPORT_CSV).status_code == 403


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("head", "pdu=CAMBS"),
        ("head", "region=LDN"),
        ("regional", "region=LDN"),
        ("regional", "pdu=LONDONN"),
        ("practitioner", "pdu=CAMBS"),
        ("practitioner", "region=LDN"),
        ("head", "pdu=NOWHERE"),
    ],
)
def test_figures_outside_the_users_scope_are_not_found(
    world, head_of_northants, regional_head, who, query
):
    user = {
        "head": head_of_northants,
        "regional": regional_head,
        "practitioner": world.users["pa"],
    }[who]
    client = signed_in(user)
    assert client.get(f"{DASHBOARD}?{query}").status_code == 404
    assert client.get(f"{CSV}?{query}").status_code == 404


def test_a_head_of_pdu_asking_for_another_regions_report_is_not_found(world, head_of_northants):
    assert signed_in(head_of_northants).get(f"{REPORT}?region=LDN").status_code == 404


# The dashboard ------------------------------------------------------------------------------


def test_the_dashboard_shows_the_big_numbers_charts_and_tables(world, programme_manager):
    response = signed_in(programme_manager).get(f"{DASHBOARD}?period=3")
    assert response.status_code == 200
    assert h1(response) == "Dashboard"
    assert title(response) == "Dashboard – Complex Cases"
    assert "Dashboard" in navigation(response)
    assert big_numbers(response) == {
        "People listed": "6",
        "New to the list": "3",
        "Reflective conversations": "2",
        "Triage requests": "6",
        "Cases heard at panel": "2",
        "Open actions": "2",
        "Overdue actions": "1",
        "Follow-ups due": "3",
    }
    soup = parse(response)
    tabs = soup.select("#criteria-met .govuk-tabs__tab")
    assert [tab.get_text(strip=True) for tab in tabs] == ["Chart", "Table"]
    assert table_rows(response, "Triage outcomes")[:2] == [
        ["Closed with guidance", "1"],
        ["Refer to panel", "2"],
    ]
    assert table_rows(response, "Median days from request to triage meeting") == [
        ["July 2026", "4 days", "2"],
        ["August 2026", "6.5 days", "2"],
        ["September 2026", "2 days", "1"],
    ]
    # Charts are SVG bars sized by attribute, each labelled in words (never colour alone).
    bars = soup.select("#panel-attendance-chart .cc-chart__bar")
    assert "Attended: 2" in bars[0].get_text(" ", strip=True)
    assert (
        soup.select_one("#panel-attendance-chart .cc-chart__rows rect.cc-chart__fill--1")["width"]
        == "100%"
    )
    assert not soup.select("[style]"), "the CSP allows no inline style attributes"
    # Every figure has its own CSV download.
    links = [a["href"] for a in soup.select("a[href*='download.csv']")]
    assert f"{CSV}?period=3&figure=criteria-met" in links


def test_the_dashboard_never_names_anyone(world, programme_manager):
    response = signed_in(programme_manager).get(DASHBOARD)
    text = response.content.decode()
    for person in world.people.values():
        assert person.crn not in text
    assert "Zebedee" not in text  # N6's surname


def test_filtering_to_a_pdu_and_period(world, programme_manager):
    response = signed_in(programme_manager).get(f"{DASHBOARD}?region=EOE&pdu=CAMBS&period=6")
    assert response.status_code == 200
    assert parse(response).select_one(".govuk-caption-l").get_text(strip=True) == (
        "Cambridgeshire and Peterborough"
    )
    assert big_numbers(response)["People listed"] == "1"
    assert table_rows(response, "People listed by month")[0][0] == "April 2026"


def test_a_pdu_outside_the_chosen_region_is_an_error(world, programme_manager):
    response = signed_in(programme_manager).get(f"{DASHBOARD}?region=LDN&pdu=CAMBS")
    assert response.status_code == 200
    assert error_summary(response) == [
        "The PDU you chose is not in the region you chose: choose a PDU in that region, or all PDUs"
    ]
    assert big_numbers(response)["People listed"] == "1"  # London, as chosen


def test_a_custom_period(world, programme_manager):
    client = signed_in(programme_manager)
    response = client.get(
        f"{DASHBOARD}?period=custom&from_month=8&from_year=2026&to_month=9&to_year=2026"
    )
    assert [row[0] for row in table_rows(response, "Triage requests by month")] == [
        "August 2026",
        "September 2026",
    ]
    assert big_numbers(response)["Triage requests"] == "4"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "from_month=9&from_year=2026&to_month=8&to_year=2026",
            "The start of the period must be the same as or before the end",
        ),
        (
            "from_month=9&from_year=2026&to_month=10&to_year=2026",
            "The end of the period must be this month or earlier",
        ),
        (
            "from_month=13&from_year=2026&to_month=9&to_year=2026",
            "Enter the month as a number from 1 to 12",
        ),
        (
            "from_month=1&from_year=26&to_month=9&to_year=2026",
            "Enter the year as 4 numbers, like 2026",
        ),
        ("from_month=&from_year=2026&to_month=9&to_year=2026", "Enter the month the period starts"),
        (
            "from_month=1&from_year=2020&to_month=9&to_year=2026",
            "The period must be 36 months or shorter",
        ),
    ],
)
def test_a_custom_period_with_a_mistake_says_how_to_fix_it(
    world, programme_manager, query, message
):
    response = signed_in(programme_manager).get(f"{DASHBOARD}?period=custom&{query}")
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert title(response).startswith("Error: ")
    # The last 12 months are shown meanwhile.
    assert len(table_rows(response, "Triage requests by month")) == 12


def test_practitioners_see_their_teams_figures(world):
    response = signed_in(world.users["pa"]).get(DASHBOARD)
    assert response.status_code == 200
    assert (
        "your team (Northampton North)" in parse(response).select_one(".govuk-caption-l").get_text()
    )
    assert big_numbers(response)["People listed"] == "3"
    assert not parse(response).select("select#region")  # nothing wider to choose


def test_a_head_of_service_with_no_pdu_or_region_sees_no_figures(world):
    client = signed_in(UserFactory(pdu=None, roles=[Role.HEAD_OF_SERVICE]))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "no PDU, team or region" in response.content.decode()
    assert big_numbers(response)["People listed"] == "0"


@pytest.mark.parametrize("query", ["", "?region=EOE&pdu=NORTHANTS"], ids=["national", "pdu"])
def test_the_dashboard_page_takes_the_same_number_of_queries_however_much_data(
    world, programme_manager, django_assert_max_num_queries, query
):
    """Every region, and one PDU (the one the data grows in), at two sizes of data."""
    client = signed_in(programme_manager)
    client.get(DASHBOARD + query)
    with CaptureQueriesContext(connection) as small:
        response = client.get(DASHBOARD + query)
    assert response.status_code == 200
    listed = int(big_numbers(response)["People listed"])
    grow(world, times=4)
    with django_assert_max_num_queries(len(small)):
        response = client.get(DASHBOARD + query)
    assert int(big_numbers(response)["People listed"]) == listed + 4
    if not query:
        assert listed + 4 == 10


# CSV downloads -------------------------------------------------------------------------------


def test_one_figure_as_csv_is_logged_as_a_disclosure(world, head_of_northants):
    before = AccessLogEntry.objects.count()
    response = signed_in(head_of_northants).get(f"{CSV}?period=3&figure=triage-outcomes")
    assert response.status_code == 200
    assert (
        'filename="complex-cases-triage-outcomes-2026-07-to-2026-09.csv"'
        in response["Content-Disposition"]
    )
    rows = rows_of(response)
    assert rows[0] == {
        "Figure": "Triage outcomes",
        "Area": "Northamptonshire",
        "Period": "July 2026 to September 2026",
        "Category": "Closed with guidance",
        "Measure": "Triage requests",
        "Value": "1",
    }
    # PDU level: small counts are shown as they are.
    assert [row["Value"] for row in rows] == ["1", "2", "0", "0", "0"]
    (entry,) = AccessLogEntry.objects.order_by("pk")[before:]
    assert entry.action == AccessLogEntry.Action.DISCLOSURE
    assert entry.person_id is None
    assert entry.person_crn == ""
    assert entry.recipient == head_of_northants.email
    assert entry.detail == "Triage outcomes, July 2026 to September 2026 for Northamptonshire"


def test_every_figure_as_one_csv(world, programme_manager):
    rows = rows_of(signed_in(programme_manager).get(f"{CSV}?period=3"))
    figures = {row["Figure"] for row in rows}
    assert {
        "Headline figures",
        "Criteria met",
        "Early outcomes",
        "Panel attendance by role",
    } <= figures
    headline = {
        row["Category"]: row["Value"] for row in rows if row["Figure"] == "Headline figures"
    }
    assert headline["People listed in September 2026"] == "6"


def test_an_unknown_figure_is_not_found(world, programme_manager):
    assert signed_in(programme_manager).get(f"{CSV}?figure=nonsense").status_code == 404


def test_below_pdu_level_small_counts_are_fewer_than_5_in_exports(world):
    """A practitioner's figures are their team's: below PDU level."""
    rows = rows_of(signed_in(world.users["pa"]).get(f"{CSV}?period=3"))
    headline = {
        (row["Category"], row["Measure"]): row["Value"]
        for row in rows
        if row["Figure"] == "Headline figures"
    }
    assert headline[("People listed in September 2026", "Number")] == "fewer than 5"
    assert headline[("Open actions (now)", "Number")] == "fewer than 5"
    # A percentage resting on fewer than 5 people is withheld; nothing is 0 that was not 0.
    assert (
        headline[("Reflective conversations: percent of people listed in September 2026", "Number")]
        == "not shown: fewer than 5 cases"
    )
    days = [row for row in rows if row["Figure"] == "Median days from request to triage meeting"]
    assert {row["Value"] for row in days} == {"fewer than 5", "not shown: fewer than 5 cases"}
    zero = [
        row
        for row in rows
        if row["Figure"] == "Triage outcomes" and row["Category"] == "Redirected: MAPPA"
    ]
    assert zero[0]["Value"] == "0"
    assert all(row["Area"] == "your team (Northampton North)" for row in rows)


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(world, programme_manager):
    Theme.objects.create(name='=HYPERLINK("http://evil.example","x")', position=1)
    rows = rows_of(signed_in(programme_manager).get(f"{CSV}?figure=blocker-themes"))
    assert rows[0]["Category"] == '\'=HYPERLINK("http://evil.example","x")'


# The monthly report --------------------------------------------------------------------------


def test_the_monthly_report_for_a_region(world, regional_head):
    response = signed_in(regional_head).get(f"{REPORT}?region=EOE&month=2026-09")
    assert response.status_code == 200
    assert h1(response) == "East of England, September 2026"
    assert table_rows(response, "Headline figures")[:4] == [
        ["People listed in September 2026", "5"],
        ["New to the list in September 2026", "3"],
        ["Reflective conversations recorded for people listed in September 2026", "2"],
        ["Reflective conversations: percent of people listed in September 2026", "40%"],
    ]
    months = [row[0] for row in table_rows(response, "Triage requests by month")]
    assert months[0] == "October 2025"
    assert months[-1] == "September 2026"
    rows = rows_of(signed_in(regional_head).get(f"{REPORT_CSV}?region=EOE&month=2026-09"))
    assert {row["Area"] for row in rows} == {"East of England"}


def test_a_head_of_pdu_gets_their_own_pdu_in_their_regions_report(world, head_of_northants):
    response = signed_in(head_of_northants).get(REPORT)
    assert response.status_code == 200
    # The heading names the PDU the figures are for; its region is the caption (issue 21).
    assert h1(response) == "Northamptonshire, August 2026"  # last month, by default
    caption = parse(response).select_one("main .govuk-caption-l").get_text(strip=True)
    assert caption == "Complex Cases monthly report, East of England"
    assert title(response).startswith("Monthly report: Northamptonshire, August 2026")
    assert "Figures for Northamptonshire only" in response.content.decode()
    assert table_rows(response, "Headline figures")[0][:2] == ["People listed in August 2026", "3"]


def test_a_month_still_to_come_has_no_report(world, programme_manager):
    assert signed_in(programme_manager).get(f"{REPORT}?month=2026-10").status_code == 404
