"""Every triage page up the view-test ladder, and two people recording the same outcome."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from tests.html import buttons, error_summary, h1, parse, table_rows
from tests.triage_fixtures import a_request, next_week_at_10, requested_days_ago
from triage.models import Theme, TriageRecord, TriageRequest
from triage.services import triage_mark_held, triage_meeting_schedule
from triage.views.common import SESSION_KEY

pytestmark = pytest.mark.django_db
Status = TriageRequest.Status


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scheduled(world):
    request = a_request(world)
    triage_meeting_schedule(
        request=request,
        starts_at=next_week_at_10(),
        duration_minutes=45,
        invitees=[(world["priya"], "Practitioner"), (world["manager"], "Programme manager")],
        external_invitees=[],
        by=world["admin"],
    )
    request.refresh_from_db()
    return request


def schedule_form(world, day, typed_time: str) -> dict:
    """The schedule form as typed: a day, a start time, Priya invited."""
    return {
        "meeting_date_0": day.day,
        "meeting_date_1": day.month,
        "meeting_date_2": day.year,
        "meeting_time": typed_time,
        "duration_minutes": 45,
        "invitees": [f"{world['priya'].pk}|Practitioner"],
    }


def held_request(world):
    request = scheduled(world)
    request.meeting.starts_at = timezone.now() - timedelta(hours=1)
    request.meeting.save()
    triage_mark_held(
        request=request,
        attended=[i.pk for i in request.meeting.invitees.all()],
        by=world["manager"],
    )
    request.refresh_from_db()
    return request


class TestRequestTriage:
    def url(self, crn="A000001"):
        return reverse("triage:request", args=[crn])

    def answers(self, **changes):
        return {
            "requester_role": "practitioner",
            "blockers": "Stuck on housing",
            "tried": "AP referrals",
            "support_sought": "Advice",
            "urgent": "no",
            **changes,
        }

    def test_anonymous_is_sent_to_sign_in(self, client, triage_world):
        assert client.get(self.url())["Location"].startswith(reverse("login"))

    def test_the_team_opens_a_case_for_the_practitioner(
        self, triage_world, eager_celery, django_capture_on_commit_callbacks
    ):
        client = as_user(triage_world["admin"])
        person_page = parse(client.get(reverse("people:person", args=["A000001"])))
        assert person_page.find("a", string="Open a case and request triage")["href"] == self.url()
        form = parse(client.get(self.url()))
        assert form.h1.get_text(strip=True) == "Open a case and request triage"
        assert not form.select("input[name=requester_role]")
        inset = form.select_one(".govuk-inset-text").get_text(" ", strip=True)
        assert "for Priya Hughes, the person's practitioner, and their SPO Sam Okafor" in inset
        # The team asks as the team, whatever a tampered form says.
        answered = client.post(self.url(), self.answers(requester_role="spo"))
        check = parse(client.get(answered["Location"]))
        rows = {
            r.select_one("dt").get_text(strip=True): r.select_one("dd").get_text(" ", strip=True)
            for r in check.select(".govuk-summary-list__row")
        }
        assert rows["Who is asking"] == "The Complex Cases team, for Priya Hughes"
        assert "Priya Hughes and Sam Okafor will get an email" in check.get_text(" ", strip=True)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("triage:check", args=["A000001"]))
        request = TriageRequest.objects.get()
        assert (request.requester_role, request.requested_by) == ("team", triage_world["admin"])
        assert request.case.status == "requested"
        assert AccessLogEntry.objects.filter(
            user=triage_world["admin"], record_id=str(request.pk), detail="Triage requested"
        ).exists()
        emails = [m for m in mail.outbox if m.subject.endswith("triage request received")]
        assert sorted(address for m in emails for address in m.to) == [
            "casey@example.com",
            "priya.hughes@example.com",
            "sam.okafor@example.com",
        ]  # one email each
        for email in emails:
            assert email.body.startswith("The Complex Cases team has opened a case")

    def test_a_practitioner_cannot_ask_as_the_team(self, triage_world):
        client = as_user(triage_world["priya"])
        assert not parse(client.get(self.url())).select("input[value=team]")
        response = client.post(self.url(), self.answers(requester_role="team"))
        assert error_summary(response) == ["Select whether you are the practitioner or the SPO"]

    def test_someone_elses_case_is_not_found(self, triage_world):
        assert as_user(triage_world["other"]).get(self.url()).status_code == 404

    def test_the_role_is_prefilled_and_custody_shown(self, triage_world):
        response = as_user(triage_world["priya"]).get(self.url("A000002"))
        soup = parse(response)
        assert soup.select_one("input[name=requester_role][checked]")["value"] == "practitioner"
        assert "In custody, expected release" in soup.get_text(" ")
        assert soup.select_one("input[name=below_threshold_reason]") is not None
        listed = parse(as_user(triage_world["priya"]).get(self.url()))
        assert listed.select_one("input[name=below_threshold_reason]") is None

    def test_errors_keep_what_was_typed(self, triage_world):
        response = as_user(triage_world["priya"]).post(
            self.url(), self.answers(tried="", urgent="")
        )
        assert error_summary(response) == [
            "Enter what has been tried",
            "Select yes if the request is urgent",
        ]
        assert (
            parse(response).select_one("textarea[name=blockers]").get_text().strip()
            == "Stuck on housing"
        )

    def test_check_answers_then_send(self, triage_world, django_capture_on_commit_callbacks):
        client = as_user(triage_world["priya"])
        response = client.post(self.url(), self.answers(urgent="yes"))
        assert response["Location"] == reverse("triage:check", args=["A000001"])
        check = client.get(response["Location"])
        assert h1(check) == "Check your answers before sending the request"
        rows = {
            r.select_one("dt").get_text(strip=True): r.select_one("dd").get_text(strip=True)
            for r in parse(check).select(".govuk-summary-list__row")
        }
        assert rows["What is making the case complex or stuck"] == "Stuck on housing"
        assert rows["Urgent"] == "Yes"
        assert not TriageRequest.objects.exists()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            sent = client.post(reverse("triage:check", args=["A000001"]))
        # The acknowledgement, one email each to Priya and her SPO, goes to the worker after commit.
        assert len(callbacks) == 2
        request = TriageRequest.objects.get()
        assert (request.urgent, request.requested_by, request.status) == (
            True,
            triage_world["priya"],
            "requested",
        )
        confirmation = client.get(sent["Location"])
        assert (
            parse(confirmation).select_one(".govuk-panel__title").get_text(strip=True)
            == "Triage requested"
        )
        assert "within 10 working days" in parse(confirmation).get_text()
        # The draft is gone: going back to check sends you to the form.
        assert client.get(reverse("triage:check", args=["A000001"]))["Location"] == self.url()

    def test_a_second_request_while_one_is_open_is_refused_with_a_link_to_the_case(
        self, triage_world
    ):
        case = a_request(triage_world).case
        client = as_user(triage_world["priya"])
        page = parse(client.get(self.url()))
        assert page.h1.get_text(strip=True) == "There is already an open case for Adams, Jo"
        assert page.find("a", string=f"See case {case.reference}")["href"] == reverse(
            "cases:detail", args=[case.reference]
        )
        assert not page.select("form textarea")
        # Answers typed before the case opened (another tab) are refused at the last step too.
        session = client.session
        session[SESSION_KEY] = {"A000001": self.answers()}
        session.save()
        refused = parse(client.post(reverse("triage:check", args=["A000001"])))
        assert refused.h1.get_text(strip=True) == "There is already an open case for Adams, Jo"
        assert TriageRequest.objects.count() == 1


class TestQueue:
    url = reverse("triage:queue")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize(
        "fixture", ["head_of_service_client", "panel_member_client", "opd_clinician_client"]
    )
    def test_nobody_else_sees_requests(self, request, fixture):
        assert request.getfixturevalue(fixture).get(self.url).status_code == 403

    def test_the_team_sees_every_request_with_its_wait_in_words(self, triage_world, time_machine):
        time_machine.move_to(timezone.now() - timedelta(days=21))
        old = a_request(triage_world)
        time_machine.move_to(timezone.now() + timedelta(days=21))
        a_request(triage_world, "elsewhere", requested_by=triage_world["other"], urgent=True)
        response = as_user(triage_world["admin"]).get(self.url)
        rows = table_rows(response)
        assert [row[0].split(" triage request")[0] for row in rows] == [
            "Evans, Sam",
            "Adams, Jo",
        ]  # urgent first
        assert "Urgent" in rows[0][0]
        assert "Past target by" in rows[1][3]
        assert old.pk
        links = [
            a.get_text(" ", strip=True) for a in parse(response).select(".moj-sub-navigation__link")
        ]
        assert links == ["New (2)", "Scheduled (0)", "Awaiting outcome (0)", "Closed (0)"]

    def test_filter_by_pdu(self, triage_world):
        a_request(triage_world)
        a_request(triage_world, "elsewhere", requested_by=triage_world["other"])
        response = as_user(triage_world["admin"]).get(self.url, {"pdu": "CAMBS"})
        assert [r[1] for r in table_rows(response)] == ["Cambridgeshire and Peterborough"]

    def test_a_practitioner_sees_only_requests_on_their_caseload(self, triage_world):
        a_request(triage_world)
        a_request(triage_world, "elsewhere", requested_by=triage_world["other"])
        rows = table_rows(as_user(triage_world["priya"]).get(self.url))
        assert len(rows) == 1
        assert rows[0][0].startswith("Adams, Jo")


class TestDetailAndActions:
    def test_ladder(self, client, triage_world):
        request = a_request(triage_world)
        url = reverse("triage:detail", args=[request.pk])
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert as_user(triage_world["admin"]).get(url).status_code == 200
        assert as_user(triage_world["other"]).get(url).status_code == 404
        response = as_user(triage_world["spo"]).get(url)
        assert h1(response) == "Triage request"
        assert AccessLogEntry.objects.filter(
            user=triage_world["spo"], record_type="triage request", action="consultation"
        ).exists()

    @pytest.mark.parametrize("name", ["schedule", "reschedule", "cancel", "held", "outcome"])
    def test_practitioners_cannot_run_triage(self, triage_world, name):
        request = a_request(triage_world)
        assert (
            as_user(triage_world["priya"])
            .get(reverse(f"triage:{name}", args=[request.pk]))
            .status_code
            == 403
        )

    def test_wrong_state_is_explained(self, triage_world):
        request = a_request(triage_world)
        response = as_user(triage_world["manager"]).get(
            reverse("triage:outcome", args=[request.pk]), follow=True
        )
        assert "This triage request is requested" in parse(response).get_text()

    def test_schedule_prompts_for_the_pom_when_in_custody(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = a_request(triage_world, "unlisted")
        client = as_user(triage_world["admin"])
        url = reverse("triage:schedule", args=[request.pk])
        page = parse(client.get(url))
        assert "invite their POM" in page.get_text()
        labels = [
            label.get_text(strip=True) for label in page.select("input[name=invitees] + label")
        ]
        assert "Fran Lowe (senior forensic psychologist)" in labels
        when = next_week_at_10()
        data = {
            "meeting_date_0": when.day,
            "meeting_date_1": when.month,
            "meeting_date_2": when.year,
            "meeting_time": "10am",
            "duration_minutes": 45,
            "invite_pom": "on",
            "pom_name": "",
            "invitees": [f"{triage_world['priya'].pk}|Practitioner"],
        }
        response = client.post(url, data)
        assert error_summary(response) == ["Enter the POM's name", "Enter the POM's email address"]
        data.update(pom_name="Alex Rowe", pom_email="alex.rowe@example.org")
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(url, data)
        assert response["Location"] == reverse("triage:detail", args=[request.pk])
        request.refresh_from_db()
        assert request.status == "scheduled"
        assert sorted(i.role for i in request.meeting.invitees.all()) == ["POM", "Practitioner"]
        assert request.meeting.starts_at == when

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("25:00", "Enter the start time like 10am, 2:30pm or 14:30"),
            ("10", "Enter the start time like 10am, 2:30pm or 14:30"),
        ],
    )
    def test_schedule_time_errors(self, triage_world, typed, message):
        request = a_request(triage_world)
        when = next_week_at_10()
        response = as_user(triage_world["admin"]).post(
            reverse("triage:schedule", args=[request.pk]),
            schedule_form(triage_world, when, typed),
        )
        assert message in error_summary(response)
        assert parse(response).select_one("input[name=meeting_time]")["value"] == typed

    def test_record_as_held_is_offered_only_once_the_meeting_has_started(self, triage_world):
        request = scheduled(triage_world)
        client = as_user(triage_world["manager"])
        detail = reverse("triage:detail", args=[request.pk])
        assert "Record meeting as held" not in buttons(client.get(detail))
        assert "once it has started" in parse(client.get(detail)).get_text()
        request.meeting.starts_at = timezone.now() - timedelta(minutes=5)
        request.meeting.save()
        assert "Record meeting as held" in buttons(client.get(detail))

    def test_a_meeting_held_yesterday_is_recorded_without_invitations(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = requested_days_ago(a_request(triage_world), 3)
        mail.outbox.clear()
        yesterday = timezone.localdate() - timedelta(days=1)
        data = schedule_form(triage_world, yesterday, "2pm")
        client = as_user(triage_world["manager"])
        url = reverse("triage:schedule", args=[request.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, follow=True)
        assert "No invitations were sent" in parse(response).get_text()
        assert "Record meeting as held" in buttons(response)
        assert mail.outbox == []

    def test_moving_a_meeting_to_yesterday_sends_no_update(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = requested_days_ago(scheduled(triage_world), 3)
        mail.outbox.clear()
        yesterday = timezone.localdate() - timedelta(days=1)
        data = schedule_form(triage_world, yesterday, "9am") | {"reason": "Held early by phone"}
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(triage_world["manager"]).post(
                reverse("triage:reschedule", args=[request.pk]), data, follow=True
            )
        assert "No update was sent: the new time has already passed" in parse(response).get_text()
        assert "Record meeting as held" in buttons(response)
        assert mail.outbox == []

    def test_a_meeting_before_the_request_keeps_what_was_typed(self, triage_world):
        request = requested_days_ago(a_request(triage_world), 2)
        before = timezone.localdate() - timedelta(days=5)
        response = as_user(triage_world["manager"]).post(
            reverse("triage:schedule", args=[request.pk]),
            schedule_form(triage_world, before, "11am"),
        )
        [message] = error_summary(response)
        assert message.startswith("The meeting must start after the triage request was made, on ")
        assert parse(response).select_one("input[name=meeting_time]")["value"] == "11am"
        request.refresh_from_db()
        assert request.status == Status.REQUESTED

    def test_assign(self, triage_world):
        request = a_request(triage_world)
        response = as_user(triage_world["admin"]).post(
            reverse("triage:assign", args=[request.pk]), {"assignee": triage_world["manager"].pk}
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.assigned_to == triage_world["manager"]

    def test_withdraw_by_the_practitioner(self, triage_world):
        request = a_request(triage_world)
        client = as_user(triage_world["priya"])
        response = client.post(reverse("triage:withdraw", args=[request.pk]), {"reason": ""})
        assert error_summary(response) == ["Enter a reason"]
        client.post(reverse("triage:withdraw", args=[request.pk]), {"reason": "Resolved with SPO"})
        request.refresh_from_db()
        assert request.status == "withdrawn"

    def test_held_then_outcome_then_ndelius_text(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = scheduled(triage_world)
        request.meeting.starts_at = timezone.now() - timedelta(minutes=50)
        request.meeting.save()
        client = as_user(triage_world["manager"])
        held_url = reverse("triage:held", args=[request.pk])
        version = parse(client.get(held_url)).select_one("input[name=version]")["value"]
        priya_invitee = request.meeting.invitees.get(user=triage_world["priya"])
        response = client.post(held_url, {"attended": [priya_invitee.pk], "version": version})
        assert response["Location"] == reverse("triage:outcome", args=[request.pk])

        outcome_url = reverse("triage:outcome", args=[request.pk])
        version = parse(client.get(outcome_url)).select_one("input[name=version]")["value"]
        housing = Theme.objects.get(name="Housing or approved premises")
        data = {
            "blocker_1": "No AP place",
            "blocker_1_themes": [housing.pk],
            "guidance": "Escalate",
            "outcome": "refer_to_panel",
            "panel_ask": "",
            "version": version,
        }
        response = client.post(outcome_url, data)
        assert error_summary(response) == ["Enter what the panel is asked to help with"]
        assert parse(response).select_one("input[name=blocker_1]")["value"] == "No AP place"
        data["panel_ask"] = "Find an AP place"
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(outcome_url, data)
        assert response["Location"] == reverse("triage:detail", args=[request.pk])
        record = TriageRecord.objects.get()
        assert record.outcome == "refer_to_panel"
        text = (
            parse(client.get(reverse("triage:ndelius", args=[request.pk])))
            .select_one("textarea")
            .get_text()
        )
        assert "- No AP place [Housing or approved premises]" in text
        assert f"Attended: {triage_world['priya'].get_full_name()} (Practitioner)" in text
        page = as_user(triage_world["priya"]).get(reverse("people:person", args=["A000001"]))
        titles = [t.get_text(strip=True) for t in parse(page).select(".moj-timeline__title")]
        assert "Triage outcome: refer to panel" in titles
        assert "Triage requested" in titles


def test_two_people_recording_the_same_outcome(triage_world, django_capture_on_commit_callbacks):
    """The second is told the record changed and keeps what they typed; one record is saved."""
    request = held_request(triage_world)
    url = reverse("triage:outcome", args=[request.pk])
    first, second = as_user(triage_world["manager"]), as_user(triage_world["admin"])
    versions = [
        parse(c.get(url)).select_one("input[name=version]")["value"] for c in (first, second)
    ]
    base = {"blocker_1": "Housing", "guidance": "Advice", "outcome": "closed_with_guidance"}
    with django_capture_on_commit_callbacks(execute=False):
        assert first.post(url, {**base, "version": versions[0]}).status_code == 302
    response = second.post(
        url,
        {**base, "guidance": "Different advice typed by the second person", "version": versions[1]},
    )
    assert response.status_code == 200
    assert error_summary(response)[0].startswith("Someone else changed this triage")
    assert (
        "Different advice typed by the second person"
        in parse(response).select_one("textarea[name=guidance]").get_text()
    )
    assert TriageRecord.objects.get().guidance == "Advice"
