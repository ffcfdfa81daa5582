"""Monthly list, generation and extract upload pages, up the view-test ladder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from complexcases.screening.models import ExtractUpload, MonthlyList
from complexcases.screening.services import (
    extract_import,
    extract_upload_process,
    monthly_list_generate,
)
from tests.factories import TeamFactory, UserFactory
from tests.html import error_summary, h1, parse, table_rows
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db
LIST_URL = reverse("screening:monthly-list")


@pytest.fixture
def october_list(pdus):
    """Five listed people: three for Priya (Northants), one for her colleague, one in Cambridgeshire."""
    team = TeamFactory(pdu=pdus["NORTHANTS"], name="Northampton North")
    spo = UserFactory(
        first_name="Sam",
        last_name="Okafor",
        pdu=pdus["NORTHANTS"],
        team=team,
        roles=[Role.SENIOR_PROBATION_OFFICER],
    )
    priya = UserFactory(
        first_name="Priya",
        last_name="Hughes",
        staff_code="N01P001",
        email="priya.hughes@example.com",
        pdu=pdus["NORTHANTS"],
        team=team,
        line_manager=spo,
        roles=[Role.PROBATION_PRACTITIONER],
    )
    colleague = UserFactory(
        staff_code="N01P002",
        email="colleague@example.com",
        pdu=pdus["NORTHANTS"],
        team=team,
        line_manager=spo,
        roles=[Role.PROBATION_PRACTITIONER],
    )
    rows = [
        row(crn="A000001", surname="Adams", **SIX_CRITERIA),
        row(crn="A000002", surname="Brown", **{**SIX_CRITERIA, "sentence_type": "IPP"}),
        row(crn="A000003", surname="Clark", **SIX_CRITERIA),
        row(
            crn="A000004",
            surname="Davis",
            pp_staff_code="N01P002",
            pp_email="colleague@example.com",
            pp_name="Colleague, A",
            **SIX_CRITERIA,
        ),
        row(
            crn="A000005",
            surname="Evans",
            pdu_code="CAMBS",
            pp_staff_code="C01P001",
            pp_email="c@example.com",
            pp_name="Cambs, C",
            **SIX_CRITERIA,
        ),
        row(crn="A000006", surname="Fox"),
    ]
    extract_import(source=extract_csv(rows), filename="e.csv", imported_by=None)
    monthly_list_generate(month=__import__("datetime").date(2026, 10, 1))
    return {"priya": priya, "spo": spo, "colleague": colleague}


def client_for(client, user):
    client.force_login(user)
    return client


class TestMonthlyList:
    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(LIST_URL)["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize(
        "fixture", ["system_admin_client", "panel_member_client", "opd_clinician_client"]
    )
    def test_roles_without_the_list_are_refused(self, request, fixture):
        assert request.getfixturevalue(fixture).get(LIST_URL).status_code == 403

    def test_before_any_list_it_says_so(self, case_admin_client):
        response = case_admin_client.get(LIST_URL)
        assert "No monthly list has been generated yet" in parse(response).get_text()

    def test_practitioner_sees_only_their_own_cases(self, client, october_list):
        response = client_for(client, october_list["priya"]).get(LIST_URL)
        assert h1(response) == "Monthly list for October 2026"
        names = [r[0] for r in table_rows(response)]
        assert names == ["Adams, Sam Your case", "Brown, Sam Your case", "Clark, Sam Your case"]

    def test_spo_sees_their_team_with_their_own_first(self, client, october_list):
        response = client_for(client, october_list["spo"]).get(LIST_URL)
        assert [r[1] for r in table_rows(response)] == ["A000001", "A000002", "A000003", "A000004"]

    def test_case_administrator_sees_every_pdu_and_the_page_logs_each_person(
        self, client, october_list, django_assert_max_num_queries
    ):
        admin = UserFactory(roles=[Role.CASE_ADMINISTRATOR])
        client_for(client, admin).get(reverse("home"))  # once-per-session checks first
        with django_assert_max_num_queries(15):
            response = client.get(LIST_URL)
        rows = table_rows(response)
        assert len(rows) == 5
        assert rows[0] == [
            "Adams, Sam",
            "A000001",
            "Northamptonshire",
            "6 of 8 (1, 2, 3, 4, 5, 6)",
            "New this month",
            "Not recorded",
        ]
        logged = AccessLogEntry.objects.filter(
            user=admin, action="consultation", record_type="monthly list entry"
        )
        assert sorted(logged.values_list("person_crn", flat=True)) == [
            f"A00000{n}" for n in range(1, 6)
        ]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("pdu=CAMBS", ["A000005"]),
            ("q=brown", ["A000002"]),
            ("q=A000004", ["A000004"]),
            ("criterion=8", ["A000002"]),
            ("criterion=6&criterion=8", ["A000002"]),
            ("min_criteria=7", ["A000002"]),
            ("status=listed_again", []),
            ("conversation=recorded", []),
            ("conversation=not_recorded", ["A000001", "A000002", "A000003", "A000004", "A000005"]),
            ("sort=crn&order=desc", ["A000005", "A000004", "A000003", "A000002", "A000001"]),
        ],
    )
    def test_filters_search_and_sorting(self, case_admin_client, october_list, query, expected):
        if query.startswith("q="):
            # The filter form is POSTed; the name or CRN stays out of the URL it redirects to.
            redirected = case_admin_client.post(LIST_URL, {"month": "2026-10", "q": query[2:]})
            assert redirected["Location"] == f"{LIST_URL}?month=2026-10"
            response = case_admin_client.get(redirected["Location"])
        else:
            response = case_admin_client.get(f"{LIST_URL}?month=2026-10&{query}")
        crns = [r[1] for r in table_rows(response)] if expected else []
        assert crns == expected
        if not expected:
            assert "No one on this list matches the filters" in parse(response).get_text()

    def test_sorted_column_says_so_to_screen_readers(self, case_admin_client, october_list):
        response = case_admin_client.get(f"{LIST_URL}?sort=criteria")
        headers = {
            th.get_text(" ", strip=True).split(",")[0].strip(): th["aria-sort"]
            for th in parse(response).select("th[aria-sort]")
        }
        assert headers["Criteria met"] == "ascending"
        assert headers["Name"] == "none"

    def test_pagination(self, case_admin_client, october_list, monkeypatch):
        monkeypatch.setattr("complexcases.screening.views.PAGE_SIZE", 2)
        response = case_admin_client.get(f"{LIST_URL}?pdu=NORTHANTS&page=2")
        assert [r[1] for r in table_rows(response)] == ["A000003", "A000004"]
        links = [a["href"] for a in parse(response).select(".govuk-pagination__link")]
        assert "?pdu=NORTHANTS&page=1" in links


class TestGenerate:
    url = reverse("screening:generate")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    def test_practitioner_is_refused(self, practitioner_client):
        assert practitioner_client.post(self.url, {"month": "2026-10"}).status_code == 403

    def test_a_bad_month_keeps_what_was_typed(self, case_admin_client):
        response = case_admin_client.post(self.url, {"month": "October"})
        assert error_summary(response) == ["Enter the month as YYYY-MM, for example 2026-11"]
        assert parse(response).select_one("input[name=month]")["value"] == "October"

    def test_no_extract_is_explained(self, case_admin_client, pdus):
        response = case_admin_client.post(self.url, {"month": "2026-10"})
        assert error_summary(response) == [
            "No extract dated on or before 31 October 2026 has been imported"
        ]

    def test_case_administrator_generates_a_list(self, case_admin_client, pdus):
        extract_import(
            source=extract_csv([row(**SIX_CRITERIA)]), filename="e.csv", imported_by=None
        )
        response = case_admin_client.post(self.url, {"month": "2026-10"})
        assert response["Location"] == f"{LIST_URL}?month=2026-10"
        assert MonthlyList.objects.filter(month="2026-10-01", pdu__region__code="EOE").count() == 4
        page = case_admin_client.get(response["Location"])
        assert "The October 2026 list was generated for" in parse(page).get_text()
        again = case_admin_client.post(self.url, {"month": "2026-10"}, follow=True)
        assert "had already been generated. Nothing changed." in parse(again).get_text()


class TestExtractUpload:
    url = reverse("screening:extract-upload")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize(
        "fixture", ["practitioner_client", "head_of_service_client", "qdo_client"]
    )
    def test_other_roles_are_refused(self, request, fixture):
        assert request.getfixturevalue(fixture).get(self.url).status_code == 403

    def test_no_file_and_wrong_type_say_what_to_do(self, case_admin_client):
        assert error_summary(case_admin_client.post(self.url, {})) == [
            "Select the extract CSV file"
        ]
        response = case_admin_client.post(self.url, {"file": SimpleUploadedFile("x.xlsx", b"data")})
        assert error_summary(response) == ["The selected file must be a CSV"]
        # The type is judged by content: a spreadsheet renamed .csv is refused.
        renamed = SimpleUploadedFile("extract.csv", b"PK\x03\x04\x00\x00binary", "text/csv")
        response = case_admin_client.post(self.url, {"file": renamed})
        assert error_summary(response) == [
            "The selected file must be a CSV saved as UTF-8, with a header row"
        ]
        assert not ExtractUpload.objects.exists()

    def test_upload_queues_an_import_and_shows_its_progress(
        self, case_admin_client, pdus, django_capture_on_commit_callbacks
    ):
        content = extract_csv([row(**SIX_CRITERIA)])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = case_admin_client.post(
                self.url, {"file": SimpleUploadedFile("october.csv", content, "text/csv")}
            )
        assert len(callbacks) == 1  # the Celery task is sent only once the upload is committed
        upload = ExtractUpload.objects.get()
        assert response["Location"] == reverse("screening:extract-upload-status", args=[upload.id])
        waiting = case_admin_client.get(response["Location"])
        assert h1(waiting) == "Importing october.csv"
        assert parse(waiting).select_one("progress") is not None
        progress = case_admin_client.get(
            reverse("screening:extract-upload-progress", args=[upload.id])
        ).json()
        assert progress == {
            "status": "waiting",
            "status_label": "Waiting to start",
            "rows_total": 0,
            "rows_checked": 0,
            "percent": 0,
            "finished": False,
        }

        extract_upload_process(
            upload=upload
        )  # what the worker does (tested with a real worker elsewhere)
        done = case_admin_client.get(response["Location"])
        assert "Extract imported" in parse(done).select_one(".govuk-panel").get_text()
        upload.refresh_from_db()
        assert not upload.file  # the uploaded file is deleted once imported
        assert case_admin_client.get(
            reverse("screening:extract-upload-progress", args=[upload.id])
        ).json()["finished"]

    def test_a_rejected_upload_lists_every_problem(self, case_admin_client, pdus):
        content = extract_csv([row(crn="BAD"), row(crn="X000002", mappa_level="9")])
        upload = ExtractUpload.objects.create(filename="bad.csv", uploaded_by=UserFactory())
        upload.file.save("bad.csv", SimpleUploadedFile("bad.csv", content))
        extract_upload_process(upload=upload)
        response = case_admin_client.get(
            reverse("screening:extract-upload-status", args=[upload.id])
        )
        rows = table_rows(response, caption="Problems in the file")
        assert rows == [
            ["2", "crn", "", "A CRN is one letter and six digits, like X123456"],
            ["3", "mappa_level", "9", "Must be 1, 2, 3 or empty"],
        ]
        assert "Nothing was saved. Fix the 2 problems below" in " ".join(
            parse(response).get_text().split()
        )

    def test_an_unknown_upload_is_404(self, case_admin_client):
        url = reverse(
            "screening:extract-upload-status", args=["00000000-0000-0000-0000-000000000000"]
        )
        assert case_admin_client.get(url).status_code == 404


def test_clearing_filters_forgets_the_name_searched_for(case_admin_client, october_list):
    case_admin_client.post(LIST_URL, {"month": "2026-10", "q": "brown"})
    assert len(table_rows(case_admin_client.get(f"{LIST_URL}?month=2026-10"))) == 1
    assert len(table_rows(case_admin_client.get(f"{LIST_URL}?month=2026-10&clear=1"))) == 5
