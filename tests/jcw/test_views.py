"""Every joint case work page up the view-test ladder: anonymous, wrong role, someone else's record,
wrong state, and the happy path with its rows and access log entries."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from jcw.models import ActivityType, JcwContact, JcwEpisode, JcwFeedback
from jcw.services import jcw_episode_close
from tests.factories import UserFactory
from tests.html import error_summary, h1, parse, table_rows
from tests.jcw.fixtures import a_contact, activity, an_episode

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def consultations(user, crn="A000001"):
    return AccessLogEntry.objects.filter(user=user, person_crn=crn, action="consultation")


def notice(response) -> str:
    """Every notification banner on the page, as one line of text."""
    banners = parse(response).select(".govuk-notification-banner")
    return " ".join(" ".join(banner.get_text().split()) for banner in banners)


def ratings(**changes):
    return {
        "understanding": "4",
        "practice_impact": "5",
        "apply_skills": "4",
        "important": "5",
        "risk_management": "4",
        "confidence_before": "2",
        "confidence_after": "4",
        **changes,
    }


@pytest.fixture
def episode(jcw_world):
    return an_episode(jcw_world)


@pytest.fixture
def elsewhere(jcw_world):
    """Ash's joint case work in Cambridgeshire: no one in Northamptonshire may see it."""
    return an_episode(jcw_world, "elsewhere", clinician=jcw_world["other_clinician"])


class TestCaseload:
    url = reverse("jcw:caseload")

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))

    def test_a_panel_member_is_refused(self, panel_member_client):
        assert panel_member_client.get(self.url).status_code == 403

    def test_the_clinicians_caseload_shows_sessions_used_of_planned(
        self, jcw_world, episode, elsewhere, django_assert_max_num_queries
    ):
        a_contact(jcw_world, episode, days_ago=3)
        a_contact(jcw_world, episode, contact_type="consultation", activity_types=[])
        client = as_user(jcw_world["clinician"])
        client.get(reverse("home"))
        with django_assert_max_num_queries(12):
            response = client.get(self.url)
        rows = table_rows(response)
        assert len(rows) == 1
        assert rows[0][0].startswith("Adams, Jo")
        assert rows[0][4] == "1 of 4"
        assert consultations(jcw_world["clinician"]).count() == 1
        assert not consultations(jcw_world["clinician"], "B000001").exists()
        assert parse(response).select_one("a[href='/joint-case-work/start']")

    def test_a_list_page_logs_one_row_per_person_shown(self, jcw_world, episode, elsewhere):
        as_user(jcw_world["manager"]).get(self.url)
        shown = AccessLogEntry.objects.filter(
            user=jcw_world["manager"], record_type="JCW episode", action="consultation"
        )
        assert sorted(shown.values_list("person_crn", flat=True)) == ["A000001", "B000001"]

    def test_ended_tab(self, jcw_world, episode):
        jcw_episode_close(
            episode=episode,
            outcome="not_achieved",
            closing_note="Recalled",
            closed_on=timezone.localdate(),
            by=jcw_world["clinician"],
        )
        response = as_user(jcw_world["priya"]).get(self.url, {"tab": "closed"})
        assert table_rows(response)[0][5].startswith("Aim not achieved")
        tabs = [a.get_text(strip=True) for a in parse(response).select(".moj-sub-navigation__link")]
        assert tabs == ["Open (0)", "Ended (1)"]


class TestStart:
    url = reverse("jcw:start")

    def test_ladder(self, client, jcw_world, practitioner_client):
        assert client.get(self.url)["Location"].startswith(reverse("login"))
        assert practitioner_client.get(self.url).status_code == 403
        clinician = as_user(jcw_world["clinician"])
        # The limit names the clinician's own PDU, which no other page shows them.
        assert "people in your probation delivery unit (PDU), Northamptonshire." in " ".join(
            parse(clinician.get(self.url)).get_text().split()
        )
        response = clinician.post(self.url, {"crn": "B000001"})  # Cambridgeshire: not theirs
        assert error_summary(response) == [
            "There is no one with that CRN in Northamptonshire, your probation delivery unit: "
            "check the CRN"
        ]
        assert error_summary(clinician.post(self.url, {"crn": "Adams"})) == [
            "Enter a CRN: one letter and six digits, like X123456"
        ]
        response = clinician.post(self.url, {"crn": " a000001 "})
        assert response["Location"] == reverse("jcw:episode-open", args=["A000001"])


class TestOpen:
    def url(self, crn="A000001"):
        return reverse("jcw:episode-open", args=[crn])

    def data(self, **changes):
        today = timezone.localdate()
        return {
            "started_on_0": today.day,
            "started_on_1": today.month,
            "started_on_2": today.year,
            "dilemma": "Hostile in supervision since the recall.",
            "desired_outcome": "A plan for supervision the practitioner can keep to.",
            "planned_sessions": "4",
            "extra_sessions_reason": "",
            **changes,
        }

    def test_ladder(self, client, jcw_world):
        assert client.get(self.url())["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["priya"]).get(self.url()).status_code == 403
        assert as_user(jcw_world["clinician"]).get(self.url("B000001")).status_code == 404
        assert as_user(jcw_world["other_clinician"]).get(self.url()).status_code == 404

    def test_errors_keep_what_was_typed(self, jcw_world):
        response = as_user(jcw_world["clinician"]).post(
            self.url(), self.data(desired_outcome="", planned_sessions="8")
        )
        assert error_summary(response) == [
            "Enter the desired outcome, or clear the dilemma",
            "Joint case work is normally 1 to 6 sessions: say why more are needed",
        ]
        assert "Hostile in supervision" in parse(response).select_one("textarea[name=dilemma]").text
        assert not JcwEpisode.objects.exists()

    def test_someone_not_screened_in_needs_a_reason(self, jcw_world):
        client = as_user(jcw_world["clinician"])
        page = parse(client.get(self.url("A000002")))
        assert "Not screened in" in page.get_text()
        response = client.post(self.url("A000002"), self.data())
        assert error_summary(response) == ["Enter why this person needs joint case work"]
        response = client.post(
            self.url("A000002"), self.data(not_screened_in_reason="Complex trauma")
        )
        assert JcwEpisode.objects.get().not_screened_in_reason == "Complex trauma"

    def test_open_with_an_aim(self, jcw_world, django_capture_on_commit_callbacks):
        client = as_user(jcw_world["clinician"])
        client.get(self.url())
        assert consultations(jcw_world["clinician"]).count() == 1
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(self.url(), self.data())
        episode = JcwEpisode.objects.get()
        assert response["Location"] == reverse("jcw:episode", args=[episode.pk])
        assert (episode.clinician, episode.practitioner, episode.planned_sessions) == (
            jcw_world["clinician"],
            jcw_world["priya"],
            4,
        )
        assert len(callbacks) == 1  # the practitioner's email, after commit
        assert AccessLogEntry.objects.filter(
            person_crn="A000001", action="collection", record_type="JCW episode"
        ).exists()
        # Opening again goes to the open one.
        again = client.get(self.url(), follow=True)
        assert "There is already open joint case work for this person" in notice(again)


class TestEpisode:
    def url(self, episode):
        return reverse("jcw:episode", args=[episode.pk])

    def test_ladder_and_what_it_shows(
        self, client, jcw_world, episode, elsewhere, django_assert_max_num_queries
    ):
        assert client.get(self.url(episode))["Location"].startswith(reverse("login"))
        assert (
            as_user(UserFactory(roles=["Panel member"])).get(self.url(episode)).status_code == 403
        )
        assert as_user(jcw_world["clinician"]).get(self.url(elsewhere)).status_code == 404
        assert as_user(jcw_world["colleague"]).get(self.url(episode)).status_code == 404
        contact = a_contact(
            jcw_world,
            episode,
            contact_type="direct",
            activity_types=[activity("formulation_create"), activity("letter")],
        )
        JcwFeedback.objects.create(
            episode=episode,
            contact=contact,
            stage="after_contact",
            given_by=jcw_world["priya"],
            worked_well="Seeing it from his side",
            **{k: int(v) for k, v in ratings().items()},
        )
        spo = as_user(jcw_world["spo"])
        spo.get(reverse("home"))
        with django_assert_max_num_queries(20):
            response = spo.get(self.url(episode))
        assert h1(response) == "Joint case work"
        text = parse(response).get_text(" ")
        assert "Keeps missing appointments" in text
        assert "1 of 4 planned" in text
        assert "Seeing it from his side" in text
        assert table_rows(response, "Contacts")[0][2] == (
            "Creating a psychologically-informed formulation Writing a letter"
        )
        assert consultations(jcw_world["spo"]).count() == 1

    def test_no_aim_yet_asks_for_it(self, jcw_world):
        episode = an_episode(jcw_world, dilemma="", desired_outcome="")
        page = parse(as_user(jcw_world["clinician"]).get(self.url(episode)))
        assert "It is needed before the first session" in page.get_text()
        assert page.select_one(f"a[href='/joint-case-work/{episode.pk}/aim']")
        assert not page.select_one(f"a[href='/joint-case-work/{episode.pk}/contacts/new']")


class TestAim:
    def url(self, episode):
        return reverse("jcw:episode-aim", args=[episode.pk])

    def test_ladder(self, client, jcw_world, episode, elsewhere):
        assert client.get(self.url(episode))["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["priya"]).get(self.url(episode)).status_code == 403
        assert as_user(jcw_world["clinician"]).get(self.url(elsewhere)).status_code == 404

    def test_record_the_aim_then_a_stale_change_keeps_what_was_typed(self, jcw_world):
        episode = an_episode(jcw_world, dilemma="", desired_outcome="")
        client = as_user(jcw_world["clinician"])
        page = parse(client.get(self.url(episode)))
        version = page.select_one("input[name=version]")["value"]
        data = {
            "dilemma": "Won't talk about the offence",
            "desired_outcome": "A formulation",
            "planned_sessions": "3",
            "version": version,
        }
        assert client.post(self.url(episode), data).status_code == 302
        episode.refresh_from_db()
        assert (episode.has_aim, episode.planned_sessions) == (True, 3)
        assert AccessLogEntry.objects.filter(detail="Aim recorded").count() == 1
        response = client.post(self.url(episode), {**data, "dilemma": "Typed by a stale form"})
        assert error_summary(response)[0].startswith("Someone else changed this joint case work")
        assert "Typed by a stale form" in parse(response).select_one("textarea[name=dilemma]").text

    def test_wrong_state_is_explained(self, jcw_world, episode):
        jcw_episode_close(
            episode=episode,
            outcome="achieved",
            closing_note="Done",
            closed_on=timezone.localdate(),
            by=jcw_world["clinician"],
        )
        response = as_user(jcw_world["clinician"]).get(self.url(episode), follow=True)
        assert "This joint case work has ended" in notice(response)


class TestClose:
    def url(self, episode):
        return reverse("jcw:episode-close", args=[episode.pk])

    def test_ladder_and_end(self, client, jcw_world, episode, django_capture_on_commit_callbacks):
        assert client.get(self.url(episode))["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["spo"]).get(self.url(episode)).status_code == 403
        assert as_user(jcw_world["other_clinician"]).get(self.url(episode)).status_code == 404
        clinician = as_user(jcw_world["clinician"])
        version = parse(clinician.get(self.url(episode))).select_one("input[name=version]")["value"]
        today = timezone.localdate()
        data = {
            "outcome": "",
            "closing_note": "Formulation shared",
            "closed_on_0": today.day,
            "closed_on_1": today.month,
            "closed_on_2": today.year,
            "version": version,
        }
        assert error_summary(clinician.post(self.url(episode), data)) == [
            "Select whether the aim was achieved"
        ]
        with django_capture_on_commit_callbacks(execute=False):
            response = clinician.post(self.url(episode), {**data, "outcome": "achieved"})
        assert response.status_code == 302
        episode.refresh_from_db()
        assert (episode.status, episode.outcome) == ("closed", "achieved")
        again = clinician.get(self.url(episode), follow=True)
        assert "already ended" in notice(again)


class TestRecordContact:
    def url(self, episode):
        return reverse("jcw:contact-record", args=[episode.pk])

    def data(self, **changes):
        when = timezone.localtime() - timedelta(hours=2)
        return {
            "contact_type": "direct",
            "contact_date_0": when.day,
            "contact_date_1": when.month,
            "contact_date_2": when.year,
            "contact_time": when.strftime("%H:%M"),
            "activity_types": [activity("formulation_create").pk, activity("meeting_support").pk],
            "took_part": ["clinician", "practitioner"],
            "others_took_part": "Social worker",
            "notes": "Met with him and his practitioner before the MAPPA meeting.",
            "next_steps": "Share the formulation",
            **changes,
        }

    def test_ladder(self, client, jcw_world, episode, elsewhere):
        assert client.get(self.url(episode))["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["head"]).get(self.url(episode)).status_code == 403
        assert as_user(jcw_world["clinician"]).get(self.url(elsewhere)).status_code == 404
        assert as_user(jcw_world["other"]).get(self.url(episode)).status_code == 404

    def test_no_first_contact_without_an_aim(self, jcw_world):
        episode = an_episode(jcw_world, dilemma="", desired_outcome="")
        client = as_user(jcw_world["clinician"])
        response = client.get(self.url(episode), follow=True)
        assert "Record the aim of the joint case work" in notice(response)
        client.post(self.url(episode), self.data())
        assert not JcwContact.objects.exists()

    def test_errors_keep_what_was_typed(self, jcw_world, episode):
        response = as_user(jcw_world["clinician"]).post(
            self.url(episode),
            self.data(contact_type="consultation", took_part=[], others_took_part=""),
        )
        assert error_summary(response) == [
            "A case consultation has no joint case work activities: clear them, or choose direct "
            "or indirect joint case work",
            "Select who took part, or enter who else did",
        ]
        assert "before the MAPPA meeting" in parse(response).select_one("textarea[name=notes]").text
        response = as_user(jcw_world["clinician"]).post(
            self.url(episode), self.data(contact_time="25:00")
        )
        assert error_summary(response) == ["Enter the time like 10am, 2:30pm or 14:30"]

    def test_the_practitioner_records_a_direct_contact_with_two_activity_types(
        self, jcw_world, episode
    ):
        client = as_user(jcw_world["priya"])
        page = parse(client.get(self.url(episode)))
        labels = [
            label.get_text(strip=True) for label in page.select("input[name=took_part] + label")
        ]
        assert labels == ["Olu Brennan (OPD clinician)", "Priya Hughes (practitioner)"]
        response = client.post(self.url(episode), self.data())
        contact = JcwContact.objects.get()
        assert response["Location"] == reverse("jcw:contact", args=[contact.pk])
        assert (contact.contact_type, contact.session_number, contact.recorded_by) == (
            "direct",
            1,
            jcw_world["priya"],
        )
        assert contact.activities.count() == 2
        assert AccessLogEntry.objects.filter(
            user=jcw_world["priya"], action="collection", record_type="JCW contact"
        ).exists()

    def test_the_seventh_session_asks_for_a_reason(self, jcw_world):
        episode = an_episode(jcw_world, planned_sessions=6)
        for day in range(6):
            a_contact(jcw_world, episode, days_ago=10 - day)
        client = as_user(jcw_world["clinician"])
        assert parse(client.get(self.url(episode))).select_one(
            "textarea[name=extra_session_reason]"
        )
        response = client.post(self.url(episode), self.data())
        assert error_summary(response) == ["Enter why another session is needed"]
        client.post(self.url(episode), self.data(extra_session_reason="Release next week"))
        assert episode.contacts.get(session_number=7).extra_session_reason == "Release next week"
        # A consultation is not a session: no reason needed.
        client.post(self.url(episode), self.data(contact_type="consultation", activity_types=[]))
        assert episode.contacts.filter(contact_type="consultation").count() == 1


class TestContactPages:
    def test_contact_ladder_and_what_it_shows(self, client, jcw_world, episode, elsewhere):
        contact = a_contact(jcw_world, episode, contact_type="direct", others_took_part="POM")
        hidden = a_contact(jcw_world, elsewhere)
        url = reverse("jcw:contact", args=[contact.pk])
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert as_user(UserFactory(roles=["Panel member"])).get(url).status_code == 403
        assert (
            as_user(jcw_world["clinician"])
            .get(reverse("jcw:contact", args=[hidden.pk]))
            .status_code
            == 404
        )
        response = as_user(jcw_world["priya"]).get(url)
        assert h1(response) == "Direct joint case work: session 1"
        text = parse(response).get_text(" ")
        assert "POM" in text
        assert "Present" in text
        assert consultations(jcw_world["priya"]).filter(record_type="JCW contact").count() == 1

    def test_the_practitioner_adds_their_view(self, client, jcw_world, episode):
        contact = a_contact(jcw_world, episode)
        url = reverse("jcw:contact-view", args=[contact.pk])
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["clinician"]).get(url).status_code == 403
        assert as_user(jcw_world["other"]).get(url).status_code == 404
        priya = as_user(jcw_world["priya"])
        version = parse(priya.get(url)).select_one("input[name=version]")["value"]
        assert error_summary(priya.post(url, {"view": "", "version": version})) == [
            "Enter your view of the contact"
        ]
        priya.post(url, {"view": "It helped me see the pattern.", "version": version})
        contact.refresh_from_db()
        assert contact.practitioner_view == "It helped me see the pattern."
        # Her SPO, on a form opened before that save, is told and keeps what they typed.
        response = as_user(jcw_world["spo"]).post(url, {"view": "SPO's view", "version": version})
        errors = error_summary(response)
        assert errors[0].startswith("Someone else changed this contact")
        assert errors[1] == "Saved now: It helped me see the pattern."
        assert parse(response).select_one("textarea[name=view]").text.strip() == "SPO's view"

    def test_ndelius_text_is_logged_as_a_disclosure(self, jcw_world, episode):
        contact = a_contact(
            jcw_world,
            episode,
            contact_type="direct",
            activity_types=[activity("formulation_create"), activity("letter")],
        )
        response = as_user(jcw_world["clinician"]).get(
            reverse("jcw:contact-ndelius", args=[contact.pk])
        )
        text = parse(response).select_one("textarea").get_text()
        assert text.startswith("OPD joint case work: direct (session 1 of 4 planned)")
        assert (
            "Activities: Creating a psychologically-informed formulation; Writing a letter" in text
        )
        assert "The person on probation was present." in text
        assert AccessLogEntry.objects.filter(
            action="disclosure", record_type="JCW contact", detail="nDelius contact text viewed"
        ).exists()


class TestFeedback:
    def test_feedback_on_a_contact(
        self, client, jcw_world, episode, django_capture_on_commit_callbacks
    ):
        contact = a_contact(jcw_world, episode)
        url = reverse("jcw:contact-feedback", args=[contact.pk])
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["clinician"]).get(url).status_code == 403
        assert as_user(jcw_world["other"]).get(url).status_code == 404
        priya = as_user(jcw_world["priya"])
        response = priya.post(url, {**ratings(important=""), "worked_well": "The letter"})
        assert error_summary(response) == [
            "Select how far you agree: joint case work is an important part of my work"
        ]
        assert parse(response).select_one("textarea[name=worked_well]").text.strip() == "The letter"
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = priya.post(url, {**ratings(), "worked_well": "The letter"})
        assert response["Location"] == reverse("jcw:contact", args=[contact.pk])
        assert len(callbacks) == 1  # the clinician is told
        feedback = JcwFeedback.objects.get()
        assert (feedback.contact, feedback.practice_impact, feedback.worked_well) == (
            contact,
            5,
            "The letter",
        )
        again = priya.get(url, follow=True)
        assert "You have already given this feedback" in notice(again)

    def test_feedback_at_the_end(self, jcw_world, episode):
        url = reverse("jcw:episode-feedback", args=[episode.pk])
        priya = as_user(jcw_world["priya"])
        response = priya.get(url, follow=True)
        assert "nothing to give feedback on yet" in notice(response)
        a_contact(jcw_world, episode)
        assert priya.post(url, ratings()).status_code == 302
        assert JcwFeedback.objects.get().stage == "end_of_episode"
        page = parse(as_user(jcw_world["clinician"]).get(reverse("jcw:episode", args=[episode.pk])))
        assert "at the end of the joint case work" in page.get_text()
        tab = parse(priya.get(reverse("jcw:person", args=["A000001"])))
        titles = [t.get_text(strip=True) for t in tab.select(".moj-timeline__title")]
        assert "Practitioner feedback on joint case work" in titles


class TestCounts:
    def test_ladder_and_counts(self, client, jcw_world, episode, elsewhere):
        url = reverse("jcw:counts")
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert as_user(jcw_world["priya"]).get(url).status_code == 403
        a_contact(jcw_world, episode, contact_type="direct")
        a_contact(jcw_world, episode, contact_type="consultation", activity_types=[])
        a_contact(jcw_world, elsewhere)
        before = AccessLogEntry.objects.count()
        response = as_user(jcw_world["clinician"]).get(url, {"period": "3"})
        assert h1(response) == "Joint case work counts"
        assert table_rows(response, "Contacts") == [
            ["Joint case work", "1"],
            ["Direct (person on probation present)", "1"],
            ["Indirect", "0"],
            ["Case consultation", "1"],
        ]
        assert table_rows(response, "By PDU") == [["Northamptonshire", "1", "1"]]
        assert AccessLogEntry.objects.count() == before  # no one person is shown

    def test_a_clinicians_team_csv_hides_small_counts(self, jcw_world, episode):
        a_contact(jcw_world, episode)
        response = as_user(jcw_world["clinician"]).get(reverse("jcw:counts-csv"), {"period": "6"})
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert ["Contacts", "Joint case work", "fewer than 5"] in rows
        assert ["Joint case work contacts", "Direct", "0"] in rows  # nothing is hidden that was 0

    def test_csv_is_spreadsheet_safe_and_logged(self, jcw_world, episode):
        sneaky = ActivityType.objects.create(code="sneaky", name='=HYPERLINK("http://x","y")')
        a_contact(jcw_world, episode, activity_types=[sneaky])
        response = as_user(jcw_world["head"]).get(reverse("jcw:counts-csv"), {"period": "6"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == ["Measure", "Category", "Count"]
        assert [
            "Joint case work contacts by activity type",
            '\'=HYPERLINK("http://x","y")',
            "1",
        ] in rows
        entry = AccessLogEntry.objects.get(record_type="JCW counts export")
        assert (entry.action, entry.person_crn, entry.user) == (
            "disclosure",
            "",
            jcw_world["head"],
        )


class TestPersonPages:
    def test_the_persons_joint_case_work_tab(self, client, jcw_world, episode):
        a_contact(jcw_world, episode, contact_type="direct")
        url = reverse("jcw:person", args=["A000001"])
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert as_user(UserFactory(roles=["Panel member"])).get(url).status_code == 403
        assert as_user(jcw_world["other"]).get(url).status_code == 404
        assert as_user(jcw_world["colleague"]).get(url).status_code == 404
        response = as_user(jcw_world["clinician"]).get(url)
        page = parse(response)
        titles = [t.get_text(strip=True) for t in page.select(".moj-timeline__title")]
        assert titles == ["Direct joint case work: session 1", "Joint case work started"]
        # A clinician cannot open the person's summary page, so there are no tabs to offer.
        assert page.select(".moj-sub-navigation") == []
        assert consultations(jcw_world["clinician"]).count() == 1

    def test_the_person_page_links_to_joint_case_work_and_shows_it_on_the_timeline(
        self, jcw_world, episode
    ):
        a_contact(jcw_world, episode)
        page = parse(as_user(jcw_world["priya"]).get(reverse("people:person", args=["A000001"])))
        tabs = [a.get_text(strip=True) for a in page.select(".moj-sub-navigation__link")]
        assert tabs == ["Summary", "Joint case work"]
        assert "Open with Olu Brennan (OPD clinician): 1 of 4 sessions used." in " ".join(
            page.get_text(" ").split()
        )
        titles = [t.get_text(strip=True) for t in page.select(".moj-timeline__title")]
        assert "Indirect joint case work: session 1" in titles


def test_an_episode_cannot_start_in_the_future(jcw_world):
    from jcw.forms import EpisodeOpenForm

    day = timezone.localdate() + timedelta(days=3)
    form = EpisodeOpenForm(
        {"started_on_0": day.day, "started_on_1": day.month, "started_on_2": day.year},
        screened_in=True,
    )
    form.is_valid()
    assert form.errors["started_on"] == ["The start date must be today or in the past"]
