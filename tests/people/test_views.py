"""The person page, search, reflective conversations and overrides, up the view-test ladder."""

from datetime import date

import pytest
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from complexcases.screening.models import PathwayOverride, ReflectiveConversation
from complexcases.screening.services import extract_import, monthly_list_generate
from tests.factories import TeamFactory, UserFactory
from tests.html import error_summary, h1, parse, table_rows, title
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(pdus):
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
    other = UserFactory(
        staff_code="C01P001",
        email="c@example.com",
        pdu=pdus["CAMBS"],
        roles=[Role.PROBATION_PRACTITIONER],
    )
    rows = [
        row(
            crn="A000001",
            surname="Adams",
            forenames="Jo",
            **{**SIX_CRITERIA, "rosh_level": "very_high"},
        ),
        row(crn="A000002", surname="Brown", rosh_level="medium"),
        row(
            crn="B000001",
            surname="Evans",
            pdu_code="CAMBS",
            pp_staff_code="C01P001",
            pp_email="c@example.com",
            pp_name="Cambs, C",
            **SIX_CRITERIA,
        ),
    ]
    extract_import(source=extract_csv(rows), filename="e.csv", imported_by=None)
    monthly_list_generate(month=date(2026, 10, 1))
    return {"priya": priya, "spo": spo, "other": other}


def signed_in(client, user):
    client.force_login(user)
    return client


def person_url(crn):
    return reverse("people:person", args=[crn])


class TestPersonPage:
    def test_anonymous_is_sent_to_sign_in(self, client, people):
        assert client.get(person_url("A000001"))["Location"].startswith(reverse("login"))

    def test_a_role_without_case_access_is_refused(self, system_admin_client, people):
        assert system_admin_client.get(person_url("A000001")).status_code == 403

    def test_someone_elses_case_is_not_found(self, client, people):
        response = signed_in(client, people["other"]).get(person_url("A000001"))
        assert response.status_code == 404
        assert not AccessLogEntry.objects.filter(
            person_crn="A000001", action="consultation"
        ).exists()

    def test_shows_why_the_person_is_listed_and_logs_the_consultation(
        self, client, people, django_assert_max_num_queries
    ):
        signed_in(client, people["priya"]).get(reverse("home"))  # once-per-session checks first
        with django_assert_max_num_queries(28):  # 25, + JCW (roles, episodes), + actions count
            response = client.get(person_url("a000001"))
        soup = parse(response)
        assert h1(response) == "Adams, Jo"
        header = soup.select_one(".cc-person-header").get_text(" ", strip=True)
        for expected in (
            "RoSH very high",
            "MAPPA level 2, category 1",
            "New this month",
            "A000001",
            "17 May 1990",
            "Northamptonshire",
            "Priya Hughes",
        ):
            assert expected in header
        assert "does not replace MAPPA" in soup.select_one(".govuk-inset-text").get_text()
        criteria = {
            row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(
                " ", strip=True
            )
            for row in soup.select(
                ".govuk-summary-list:not(.cc-person-header__details) .govuk-summary-list__row"
            )
        }
        # Evidence in words, with the extract column as a hint for data staff.
        assert criteria["1. RoSH is high or very high"] == (
            "Met RoSH level — very high (extract column rosh_level )"
        )
        assert criteria["7. Alcohol or drugs a need"].startswith(
            "Not met OASys: alcohol a need — no (extract column oasys_alcohol_need )"
        )
        assert "OASys 10.5: self-harm — " in criteria["3. Risk of self-harm or suicide"]
        assert "6 of 8 criteria met, from the extract as at 1 October 2026" in soup.get_text(" ")
        assert [t.get_text(strip=True) for t in soup.select(".moj-timeline__title")] == [
            "New this month: October 2026 list",
            "Screened: 6 of 8 criteria met",
        ]
        assert AccessLogEntry.objects.filter(
            user=people["priya"], person_crn="A000001", action="consultation", record_type="person"
        ).exists()

    def test_spo_sees_their_teams_case(self, client, people):
        assert signed_in(client, people["spo"]).get(person_url("A000002")).status_code == 200

    def test_an_unknown_crn_is_not_found(self, qdo_client, people):
        assert qdo_client.get(person_url("Z999999")).status_code == 404


class TestSearch:
    url = reverse("people:search")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.post(self.url, {"q": "Adams"})["Location"].startswith(reverse("login"))

    def test_roles_without_case_access_are_refused(self, panel_member_client):
        assert panel_member_client.post(self.url, {"q": "Adams"}).status_code == 403

    def test_finds_by_name_only_people_the_user_may_see(self, client, people):
        response = signed_in(client, people["priya"]).post(self.url, {"q": "a"})
        assert [r[1] for r in table_rows(response)] == ["A000001"]
        assert "Evans" not in parse(response).get_text()
        assert title(response) == "Search results – Complex Cases"  # no name or CRN in the title

    def test_a_full_crn_goes_straight_to_the_person(self, qdo_client, people):
        response = qdo_client.post(self.url, {"q": "b000001"})
        assert response["Location"] == person_url("B000001")

    def test_a_crn_the_user_may_not_see_finds_nothing(self, client, people):
        response = signed_in(client, people["priya"]).post(self.url, {"q": "B000001"})
        assert response.status_code == 200
        assert "0 people found" in parse(response).get_text()


class TestReflectiveConversation:
    def url(self, crn="A000001"):
        return reverse("screening:reflective-conversation", args=[crn])

    def valid(self, people, **changes):
        return {
            "held_on_0": "3", "held_on_1": "10", "held_on_2": "2026",
            "spo": people["spo"].pk, "notes": "Talked about housing.", "outcome": "will_request_triage",
            **changes,
        }  # fmt: skip

    def test_anonymous_is_sent_to_sign_in(self, client, people):
        assert client.get(self.url())["Location"].startswith(reverse("login"))

    def test_a_case_administrator_cannot_record_one(self, case_admin_client, people):
        assert case_admin_client.get(self.url()).status_code == 403

    def test_someone_elses_case_is_not_found(self, client, people):
        assert signed_in(client, people["other"]).get(self.url()).status_code == 404

    def test_a_person_not_on_the_list_needs_no_conversation(self, client, people):
        response = signed_in(client, people["priya"]).get(self.url("A000002"), follow=True)
        assert "not on this month's list" in parse(response).get_text()

    def test_errors_keep_what_was_typed(self, client, people):
        signed_in(client, people["priya"])
        response = client.post(
            self.url(), self.valid(people, held_on_0="31", held_on_1="2", outcome="", notes="Kept")
        )
        assert error_summary(response) == [
            "The date of the conversation must be a real date",
            "Select the outcome of the conversation",
        ]
        soup = parse(response)
        assert soup.select_one("textarea[name=notes]").get_text().lstrip("\n") == "Kept"
        assert soup.select_one("input[name=held_on_0]")["value"] == "31"
        assert not ReflectiveConversation.objects.exists()

    def test_a_future_date_is_refused(self, client, people):
        signed_in(client, people["priya"])
        response = client.post(self.url(), self.valid(people, held_on_2="2099"))
        assert error_summary(response) == [
            "The date of the conversation must be today or in the past"
        ]

    def test_recording_saves_logs_and_offers_ndelius_text(self, client, people):
        signed_in(client, people["priya"])
        form = client.get(self.url())
        assert parse(form).select_one("select[name=spo] option[selected]")["value"] == str(
            people["spo"].pk
        )
        response = client.post(self.url(), self.valid(people))
        assert response["Location"] == person_url("A000001")
        conversation = ReflectiveConversation.objects.get()
        assert (conversation.held_on, conversation.spo, conversation.recorded_by) == (
            date(2026, 10, 3),
            people["spo"],
            people["priya"],
        )
        assert (
            AccessLogEntry.objects.filter(
                action="collection", record_type="reflective conversation"
            ).count()
            == 1
        )

        page = client.get(person_url("A000001"))
        assert "Recorded: held on 3 October 2026 with Sam Okafor" in parse(page).get_text(" ")
        listed = client.get(reverse("screening:monthly-list"))
        assert table_rows(listed)[0][-1] == "Recorded"

        text_page = client.get(
            reverse("screening:reflective-conversation-ndelius", args=["A000001", conversation.pk])
        )
        text = parse(text_page).select_one("textarea").get_text()
        assert text.splitlines()[:2] == [
            "Complex Cases: reflective conversation",
            "Date: 3 October 2026",
        ]
        assert "Outcome: Practitioner will request triage" in text
        assert AccessLogEntry.objects.filter(action="disclosure", person_crn="A000001").exists()

        again = client.post(self.url(), self.valid(people), follow=True)
        assert "already been recorded" in parse(again).get_text()
        assert ReflectiveConversation.objects.count() == 1

    def test_ndelius_text_for_another_persons_conversation_is_not_found(self, client, people):
        signed_in(client, people["priya"])
        client.post(self.url(), self.valid(people))
        conversation = ReflectiveConversation.objects.get()
        url = reverse(
            "screening:reflective-conversation-ndelius", args=["A000002", conversation.pk]
        )
        assert client.get(url).status_code == 404


class TestMarkForPathway:
    def url(self, crn="A000002"):
        return reverse("screening:mark-for-pathway", args=[crn])

    def test_anonymous_is_sent_to_sign_in(self, client, people):
        assert client.get(self.url())["Location"].startswith(reverse("login"))

    def test_head_of_service_cannot_mark(self, head_of_service_client, people):
        assert head_of_service_client.get(self.url()).status_code == 403

    def test_someone_elses_case_is_not_found(self, client, people):
        assert (
            signed_in(client, people["other"]).post(self.url(), {"reason": "x"}).status_code == 404
        )

    def test_a_reason_is_required(self, client, people):
        response = signed_in(client, people["priya"]).post(self.url(), {"reason": ""})
        assert error_summary(response) == ["Enter why this person needs the pathway"]

    def test_marking_records_the_reason_and_the_count_at_the_time(self, client, people):
        signed_in(client, people["priya"])
        response = client.post(self.url(), {"reason": "Gender identity is making this case stuck"})
        assert response["Location"] == person_url("A000002")
        override = PathwayOverride.objects.get()
        assert (override.criteria_met_count, override.marked_by) == (0, people["priya"])
        page = client.get(person_url("A000002"))
        assert "Gender identity is making this case stuck" in parse(page).get_text()
        assert "Marked for the pathway below the threshold" in parse(page).get_text()


class TestPomDetails:
    def url(self, crn="A000001"):
        return reverse("people:pom", args=[crn])

    def test_anonymous_is_sent_to_sign_in(self, client, people):
        assert client.get(self.url())["Location"].startswith(reverse("login"))

    def test_qdo_cannot_change_details(self, qdo_client, people):
        assert qdo_client.get(self.url()).status_code == 403

    def test_someone_elses_case_is_not_found(self, client, people):
        assert signed_in(client, people["other"]).get(self.url()).status_code == 404

    def test_saving_records_the_pom_and_logs_the_alteration(self, client, people):
        signed_in(client, people["priya"])
        version = parse(client.get(self.url())).select_one("input[name=version]")["value"]
        response = client.post(
            self.url(),
            {"pom_name": "Alex Rowe", "pom_contact": "alex.rowe@example.com", "version": version},
        )
        assert response["Location"] == person_url("A000001")
        page = client.get(person_url("A000001"))
        assert "Alex Rowe, alex.rowe@example.com" in parse(page).select_one(
            ".cc-person-header"
        ).get_text(" ")
        assert AccessLogEntry.objects.filter(action="alteration", person_crn="A000001").count() == 1

    def test_contact_without_a_name_keeps_what_was_typed(self, client, people):
        signed_in(client, people["priya"])
        version = parse(client.get(self.url())).select_one("input[name=version]")["value"]
        response = client.post(
            self.url(), {"pom_name": "", "pom_contact": "01234 567890", "version": version}
        )
        assert error_summary(response) == ["Enter the POM's name"]
        assert parse(response).select_one("input[name=pom_contact]")["value"] == "01234 567890"

    def test_a_stale_edit_is_refused_not_overwritten(self, client, people):
        signed_in(client, people["priya"])
        stale = parse(client.get(self.url())).select_one("input[name=version]")["value"]
        spo_client = __import__("django.test", fromlist=["Client"]).Client()
        spo_client.force_login(people["spo"])
        fresh = parse(spo_client.get(self.url())).select_one("input[name=version]")["value"]
        spo_client.post(self.url(), {"pom_name": "First Save", "pom_contact": "", "version": fresh})

        response = client.post(
            self.url(), {"pom_name": "Second Save", "pom_contact": "", "version": stale}
        )
        assert response.status_code == 200
        assert error_summary(response)[0].startswith("Someone else changed this person's details")
        assert "Saved now: First Save" in error_summary(response)[0]
        assert (
            parse(response).select_one("input[name=pom_name]")["value"] == "Second Save"
        )  # nothing lost
        from complexcases.people.models import Person

        assert Person.objects.get(crn="A000001").pom_name == "First Save"
        # Saving again, having seen the other change, is a deliberate overwrite.
        again = parse(response).select_one("input[name=version]")["value"]
        client.post(self.url(), {"pom_name": "Second Save", "pom_contact": "", "version": again})
        assert Person.objects.get(crn="A000001").pom_name == "Second Save"


def test_the_timeline_says_what_changed_between_screenings(client, pdus):
    """Screenings are versions (ADR 0018): a new one says what differs from the one before."""
    imports = [
        [row(extract_date="2026-07-01", crn="X000009", **SIX_CRITERIA)],
        # Drugs a need: criterion 7 now met; psychiatric problems: a value, no criterion change.
        [
            row(
                extract_date="2026-08-01",
                crn="X000009",
                **{**SIX_CRITERIA, "oasys_drugs_need": "Y", "oasys_10_psychiatric_problems": "Y"},
            )
        ],
        [row(extract_date="2026-09-01", crn="X000009", **{**SIX_CRITERIA, "pdu_code": "CAMBS"})],
        [row(extract_date="2026-10-01", crn="X000001")],  # not in this one
    ]
    for rows in imports:
        extract_import(source=extract_csv(rows), filename="extract.csv", imported_by=None)
    manager = UserFactory(roles=[Role.PROGRAMME_MANAGER])

    soup = parse(signed_in(client, manager).get(person_url("X000009")))

    events = [
        (
            item.select_one(".moj-timeline__title").get_text(strip=True),
            item.select_one(".moj-timeline__description").get_text(" ", strip=True),
        )
        for item in soup.select(".moj-timeline__item")
    ]
    assert events == [
        ("Not in the monthly extract", "No longer in the extract"),
        (
            "Screening changed: 6 of 8 criteria met",
            "From the monthly extract. No longer met: 7. Alcohol or drugs a need. "
            "Values changed: oasys_10_psychiatric_problems yes → no; oasys_drugs_need yes → no. "
            "PDU: Northamptonshire → Cambridgeshire and Peterborough.",
        ),
        (
            "Screening changed: 7 of 8 criteria met",
            "From the monthly extract. Now met: 7. Alcohol or drugs a need. "
            "Values changed: oasys_10_psychiatric_problems no → yes; oasys_drugs_need no → yes.",
        ),
        (
            "Screened: 6 of 8 criteria met",
            "From the monthly extract; the same in each extract until a change",
        ),
    ]
