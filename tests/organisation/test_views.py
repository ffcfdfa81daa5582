"""Sign in, sign out and the organisation pages."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complexcases.organisation.models import ProbationDeliveryUnit, Region
from tests.factories import TEST_PASSWORD, ProbationDeliveryUnitFactory, TeamFactory, UserFactory
from tests.html import error_summary, h1, parse, table_rows, title

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_a_govuk_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert h1(response) == "Sign in to Complex Cases"
    labels = [label.get_text(strip=True) for label in parse(response).select("label")]
    assert labels == ["Email address", "Password"]


def test_sign_in_with_the_right_password_goes_to_the_page_asked_for(client):
    user = UserFactory(email="priya@example.com")
    response = client.post(
        reverse("login"),
        {"username": "priya@example.com", "password": TEST_PASSWORD, "next": "/organisation/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisation/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_sign_in_refuses_a_redirect_to_another_site(client):
    UserFactory(email="priya@example.com")
    response = client.post(
        reverse("login"),
        {
            "username": "priya@example.com",
            "password": TEST_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_an_error_and_keeps_the_email(client):
    UserFactory(email="priya@example.com")
    response = client.post(reverse("login"), {"username": "priya@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert error_summary(response) == ["Enter the email address and password for your account"]
    assert title(response).startswith("Error: Sign in")
    assert parse(response).select_one("input[name=username]")["value"] == "priya@example.com"
    assert SESSION_KEY not in client.session


def test_empty_sign_in_says_what_to_enter(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert error_summary(response) == ["Enter your email address", "Enter your password"]


def test_staff_record_that_is_not_enabled_cannot_sign_in(client):
    UserFactory(email="imported@example.com", is_active=False)
    response = client.post(
        reverse("login"), {"username": "imported@example.com", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_repeated_failures_lock_the_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="priya@example.com")
    for _ in range(3):
        client.post(reverse("login"), {"username": "priya@example.com", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "priya@example.com", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert h1(response) == "Your account is locked"
    assert SESSION_KEY not in client.session


def test_sign_out_needs_a_post_and_ends_the_session(practitioner_client):
    assert practitioner_client.get(reverse("logout")).status_code == 405
    response = practitioner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert practitioner_client.get(reverse("home")).status_code == 302


class TestPduList:
    url = reverse("organisation:pdu-list")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    def test_practitioner_is_refused(self, practitioner_client):
        assert practitioner_client.get(self.url).status_code == 403

    def test_head_of_service_sees_regions_pdus_teams_and_staff_counts(
        self, head_of_service_client, django_assert_max_num_queries
    ):
        pdu = ProbationDeliveryUnitFactory(
            code="ESSEXN", name="Essex North", region__name="East of England"
        )
        TeamFactory(pdu=pdu, name="Colchester")
        TeamFactory(pdu=pdu, name="Chelmsford")
        UserFactory.create_batch(3, pdu=pdu)
        UserFactory(pdu=pdu, is_active=False)
        for _ in range(5):
            ProbationDeliveryUnitFactory(region=pdu.region)
        head_of_service_client.get(
            reverse("home")
        )  # once-per-session checks (two-factor, time-outs) first
        # 9: the page, plus one for the open-actions count in the navigation.
        with django_assert_max_num_queries(9):
            response = head_of_service_client.get(self.url)
        assert response.status_code == 200
        assert h1(response) == "Organisation"
        rows = table_rows(response, caption="East of England")
        assert ["Essex North", "ESSEXN", "Chelmsford, Colchester", "3"] in rows
        assert "Import regions and PDUs" not in parse(response).get_text()


class TestOrganisationUpload:
    url = reverse("organisation:upload")

    def upload(self, client, text: str):
        return client.post(
            self.url, {"file": SimpleUploadedFile("org.csv", text.encode(), "text/csv")}
        )

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    def test_head_of_service_is_refused(self, head_of_service_client):
        assert head_of_service_client.get(self.url).status_code == 403

    def test_system_administrator_imports_a_file(self, system_admin_client):
        response = self.upload(
            system_admin_client,
            "region_code,region_name,pdu_code,pdu_name\nEOE,East of England,ESSEXS,Essex South\n",
        )
        assert response.status_code == 302
        assert ProbationDeliveryUnit.objects.get(code="ESSEXS").region.name == "East of England"
        page = system_admin_client.get(response["Location"])
        assert (
            "1 regions and 1 PDUs added"
            in parse(page).select_one(".govuk-notification-banner").get_text()
        )

    def test_a_bad_file_lists_every_problem_and_saves_nothing(self, system_admin_client):
        response = self.upload(
            system_admin_client,
            "region_code,region_name,pdu_code,pdu_name\n"
            "EOE,East of England,ESSEXS,Essex South\n"
            "eoe,East of England,,Essex North\n"
            "EOE,East of England,ESSEXS,Essex South again\n",
        )
        assert response.status_code == 200
        rows = table_rows(response, caption="Problems in the file")
        assert rows == [
            ["3", "pdu_code", "", "Enter a value"],
            [
                "3",
                "region_code",
                "eoe",
                "Codes must be 2 to 20 capital letters, digits or underscores",
            ],
            ["4", "pdu_code", "ESSEXS", "This PDU code appears more than once"],
        ]
        assert "Nothing was saved" in parse(response).get_text()
        assert not Region.objects.filter(code="EOE").exists()

    def test_a_file_that_is_not_csv_is_refused(self, system_admin_client):
        response = system_admin_client.post(
            self.url, {"file": SimpleUploadedFile("org.xlsx", b"PK\x03\x04", "application/zip")}
        )
        assert error_summary(response) == ["The selected file must be a CSV"]

    def test_no_file_says_what_to_do(self, system_admin_client):
        response = system_admin_client.post(self.url, {})
        assert error_summary(response) == ["Select a CSV file to upload"]


class TestStaffList:
    url = reverse("organisation:staff-list")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    def test_case_administrator_is_refused(self, case_admin_client):
        assert case_admin_client.get(self.url).status_code == 403

    def test_system_administrator_sees_who_can_sign_in(
        self, system_admin_client, django_assert_max_num_queries
    ):
        UserFactory(first_name="Ina", last_name="Active", email="ina@example.com", is_active=False)
        UserFactory.create_batch(5)
        system_admin_client.get(reverse("home"))  # once-per-session checks first
        with django_assert_max_num_queries(8):
            response = system_admin_client.get(self.url)
        rows = {row[0]: row for row in table_rows(response)}
        assert rows["Ina Active"][1] == "ina@example.com"
        assert rows["Ina Active"][4] == "Not enabled"
