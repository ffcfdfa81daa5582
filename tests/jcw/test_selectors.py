"""Who sees which joint case work, the caseload, the timeline, and the counts on a known set of contacts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from jcw.models import JcwContact
from jcw.selectors import (
    jcw_caseload,
    jcw_counts,
    jcw_episode_get_for,
    jcw_episodes_visible_to,
    jcw_feedback_counted_for,
    jcw_feedback_summary,
    jcw_people_openable_by,
    jcw_person_get_for,
    jcw_timeline_events,
    months_ending,
)
from jcw.services import Ratings, jcw_episode_close, jcw_feedback_give
from tests.factories import UserFactory
from tests.jcw.fixtures import a_contact, activity, an_episode

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DIRECT, INDIRECT, CONSULTATION = JcwContact.ContactType


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=LONDON)


@pytest.fixture
def mid_november(time_machine):
    """Counts are by month: hold the clock at 18 November 2026."""
    time_machine.move_to(datetime(2026, 11, 18, 12, 0, tzinfo=LONDON), tick=False)


@pytest.fixture
def counted(mid_november, jcw_world):
    """Olu's and Kit's (same OPD team, Northamptonshire) and Ash's (Cambridgeshire) joint case work."""
    w = jcw_world
    olu = an_episode(w, started_on=date(2026, 8, 1), planned_sessions=6)

    def contact(episode, kind, when, *codes):
        return a_contact(
            w,
            episode,
            contact_type=kind,
            occurred_at=when,
            activity_types=[activity(code) for code in codes],
        )

    contact(olu, DIRECT, at(11, 10), "formulation_create", "meeting_support")
    contact(olu, INDIRECT, at(11, 12), "letter")
    contact(olu, CONSULTATION, at(11, 13))
    contact(olu, INDIRECT, at(10, 5), "formulation_update")
    contact(olu, INDIRECT, at(8, 5), "case_review")  # outside a three-month period
    kit = an_episode(
        w, "unlisted", clinician=w["colleague"], started_on=date(2026, 9, 1), planned_sessions=2
    )
    contact(kit, INDIRECT, at(10, 20), "formulation_create")
    contact(kit, CONSULTATION, at(9, 15))
    jcw_episode_close(
        episode=kit,
        outcome="achieved",
        closing_note="Formulation in use.",
        closed_on=date(2026, 10, 30),
        by=w["colleague"],
    )
    ash = an_episode(w, "elsewhere", clinician=w["other_clinician"], started_on=date(2026, 9, 1))
    contact(ash, DIRECT, at(11, 1), "letter")
    return {**w, "olu_episode": olu, "kit_episode": kit, "ash_episode": ash}


class TestVisibility:
    def test_each_role_sees_the_joint_case_work_it_should(self, counted):
        w = counted
        olu, kit, ash = w["olu_episode"], w["kit_episode"], w["ash_episode"]

        def seen(user):
            return set(jcw_episodes_visible_to(user))

        assert seen(w["clinician"]) == {olu}  # a clinician's own, not a colleague's
        assert seen(w["colleague"]) == {kit}
        assert seen(w["priya"]) == {olu, kit}  # both on her caseload
        assert seen(w["spo"]) == {olu, kit}
        assert seen(w["head"]) == {olu, kit}  # her PDU
        assert seen(w["other"]) == {ash}
        assert seen(w["manager"]) == {olu, kit, ash}  # the Complex Cases team
        assert seen(UserFactory(roles=["Panel member"])) == set()

    def test_a_hidden_episode_is_not_found(self, counted):
        with pytest.raises(Http404):
            jcw_episode_get_for(counted["clinician"], counted["ash_episode"].pk)
        assert jcw_episode_get_for(counted["clinician"], counted["olu_episode"].pk)

    def test_the_persons_tab_needs_the_person_or_their_joint_case_work(self, counted):
        w = counted
        assert jcw_person_get_for(w["clinician"], "a000001") == w["listed"]
        for crn in ("A000002", "B000001", "Z999999"):
            with pytest.raises(Http404):
                jcw_person_get_for(w["clinician"], crn)
        assert jcw_person_get_for(w["priya"], "A000002") == w["unlisted"]

    def test_a_clinician_opens_joint_case_work_in_their_own_pdu(self, counted):
        w = counted
        assert set(jcw_people_openable_by(w["clinician"]).values_list("crn", flat=True)) == {
            "A000001",
            "A000002",
        }
        no_pdu = UserFactory(roles=["OPD clinician"], pdu=None)
        assert not jcw_people_openable_by(no_pdu).exists()
        assert not jcw_people_openable_by(w["priya"]).exists()


class TestCaseloadAndTimeline:
    def test_sessions_used_counts_joint_case_work_not_consultations(self, counted):
        [episode] = jcw_caseload(user=counted["clinician"])
        assert (episode.sessions_used, episode.planned_sessions) == (4, 6)
        assert list(jcw_caseload(user=counted["colleague"])) == []
        assert [e.pk for e in jcw_caseload(user=counted["colleague"], tab="closed")] == [
            counted["kit_episode"].pk
        ]

    def test_the_timeline_shows_the_episode_and_its_contacts(self, counted):
        events = jcw_timeline_events(counted["listed"], user=counted["priya"])
        titles = sorted(event.title for event in events)
        # Sessions are numbered in the order they are recorded (ADR 0013), not by their dates.
        assert titles == [
            "Case consultation",
            "Direct joint case work: session 1",
            "Indirect joint case work: session 2",
            "Indirect joint case work: session 3",
            "Indirect joint case work: session 4",
            "Joint case work started",
        ]
        direct = next(e for e in events if e.title.startswith("Direct"))
        assert direct.description == (
            "Creating a psychologically-informed formulation; "
            "Supporting attendance at a meeting, such as MAPPA or a professionals meeting"
        )
        assert (
            jcw_timeline_events(counted["listed"], user=UserFactory(roles=["Panel member"])) == []
        )


class TestCounts:
    def test_the_teams_counts_on_a_known_set_of_contacts(self, counted):
        counts = jcw_counts(user=counted["clinician"], months=months_ending(date(2026, 11, 18), 3))
        assert counts.whose == "your team (OPD pathway team)"
        assert counts.months == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
        assert (counts.joint_case_work, counts.consultations) == (4, 2)
        assert (counts.direct, counts.indirect) == (1, 3)
        assert dict(counts.by_activity) == {
            "Creating a psychologically-informed formulation": 2,
            "Updating an existing formulation": 1,
            "Writing a letter": 1,
            "Supporting attendance at a meeting, such as MAPPA or a professionals meeting": 1,
            "Session or intervention planning": 0,
            "Writing a referral": 0,
            "Case review": 0,
            "Other": 0,
        }
        assert counts.by_month == [
            (date(2026, 9, 1), 0, 1),
            (date(2026, 10, 1), 2, 0),
            (date(2026, 11, 1), 2, 1),
        ]
        assert counts.by_pdu == [("Northamptonshire", 4, 2)]
        assert (counts.episodes_started, counts.open_now) == (1, 1)
        assert counts.by_outcome == [
            ("Aim achieved", 1),
            ("Aim partly achieved", 0),
            ("Aim not achieved", 0),
        ]

    def test_a_longer_period_and_other_scopes(self, counted):
        year = months_ending(date(2026, 11, 18), 12)
        team = jcw_counts(user=counted["clinician"], months=year)
        assert team.joint_case_work == 5
        assert dict(team.by_activity)["Case review"] == 1
        everyone = jcw_counts(user=counted["manager"], months=year)
        assert everyone.whose == "every PDU"
        assert (everyone.joint_case_work, everyone.direct) == (6, 2)
        assert everyone.by_pdu == [
            ("Cambridgeshire and Peterborough", 1, 0),
            ("Northamptonshire", 5, 2),
        ]
        alone = jcw_counts(user=counted["other_clinician"], months=year)
        assert (alone.whose, alone.joint_case_work) == ("you", 1)
        head = jcw_counts(user=counted["head"], months=year)
        assert (head.whose, head.joint_case_work) == ("your PDU (Northamptonshire)", 5)
        assert jcw_counts(user=counted["priya"], months=year).joint_case_work == 0

    def test_the_counts_are_one_aggregate_query_however_many_contacts(self, counted):
        manager = counted["manager"]
        manager.has_perm("jcw.view_jcw_counts")  # the permission cache is not the counts
        months = months_ending(date(2026, 11, 18), 12)
        with CaptureQueriesContext(connection) as queries:
            jcw_counts(user=manager, months=months)
        aggregates = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
        assert len(queries) == 3  # activity types, the PDUs in scope, and the counts
        assert len(aggregates) == 1
        assert aggregates[0].count("COUNT(") > 30

    def test_the_csv_rows_say_what_each_number_is(self, counted):
        counts = jcw_counts(user=counted["clinician"], months=months_ending(date(2026, 11, 18), 3))
        rows = counts.rows()
        assert rows[0] == ("Period", "September 2026 to November 2026", "")
        assert ("Contacts", "Case consultation", 2) in rows
        assert ("Joint case work contacts in October 2026", "", 2) in rows
        assert ("Episodes ended", "Aim achieved", 1) in rows


class TestFeedbackSummary:
    def test_ratings_are_summarised(self, counted):
        w = counted
        episode = w["olu_episode"]
        first, second = episode.contacts.filter(contact_type__in=["direct", "indirect"])[:2]
        for contact, score, before, after in ((first, 5, 2, 4), (second, 4, 3, 3)):
            jcw_feedback_give(
                episode=episode,
                contact=contact,
                ratings=Ratings(
                    understanding=score,
                    practice_impact=score,
                    apply_skills=3,
                    important=score,
                    risk_management=1,
                    confidence_before=before,
                    confidence_after=after,
                ),
                by=w["priya"],
            )
        summary = jcw_feedback_summary(
            jcw_feedback_counted_for(
                user=w["clinician"], months=months_ending(date(2026, 11, 18), 3)
            )
        )
        assert summary.responses == 2
        practice = summary.statements[1]
        assert (practice.label, practice.mean) == ("Positive impact on my practice", 4.5)
        assert practice.counts == [
            ("Strongly disagree", 0),
            ("Slightly disagree", 0),
            ("Neither agree nor disagree", 0),
            ("Slightly agree", 1),
            ("Strongly agree", 1),
        ]
        assert summary.statements[4].mean == 1.0
        assert (summary.confidence_before.mean, summary.confidence_after.mean) == (2.5, 3.5)
        # Ash's team sees none of it.
        other = jcw_feedback_counted_for(
            user=w["other_clinician"], months=months_ending(date(2026, 11, 18), 3)
        )
        assert jcw_feedback_summary(other).responses == 0


class TestSubjectAccess:
    def test_the_persons_joint_case_work_with_staff_names_redacted(self, counted):
        from jcw.subject_access import jcw_subject_access

        w = counted
        [episode] = jcw_subject_access(person=w["listed"], redact_staff=True)
        assert episode["clinician"] == "[member of staff]"
        assert episode["dilemma"].startswith("Keeps missing appointments")
        assert len(episode["contacts"]) == 5
        assert {c["recorded_by"] for c in episode["contacts"]} == {"[member of staff]"}
        named = jcw_subject_access(person=w["listed"], redact_staff=False)
        assert named[0]["clinician"] == "Olu Brennan"
        assert jcw_subject_access(person=w["elsewhere"], redact_staff=False)[0]["contacts"][0][
            "activities"
        ] == ["Writing a letter"]
