"""Joint case work writes: the aim before the first contact, the seventh session, feedback, emails."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from complexcases.core.errors import version_of
from complexcases.core.models import AccessLogEntry
from jcw.models import JcwContact, JcwContactActivity, JcwEpisode, JcwFeedback
from jcw.services import (
    JcwError,
    Ratings,
    StaleJcwError,
    jcw_contact_practitioner_view_set,
    jcw_episode_aim_set,
    jcw_episode_close,
    jcw_feedback_give,
)
from tests.jcw.fixtures import a_contact, activity, an_episode

pytestmark = pytest.mark.django_db
ContactType = JcwContact.ContactType
GOOD = Ratings(
    understanding=4,
    practice_impact=5,
    apply_skills=4,
    important=5,
    risk_management=3,
    confidence_before=2,
    confidence_after=4,
)


@pytest.fixture(autouse=True)
def eager_celery():
    """Emails are queued on commit and sent by a worker; here the worker's work runs in-process."""
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def log_for(episode, **filters):
    return AccessLogEntry.objects.filter(person_crn=episode.person.crn, **filters)


class TestOpen:
    def test_a_screened_in_person_gets_an_episode_and_the_practitioner_a_link_without_names(
        self, jcw_world, django_capture_on_commit_callbacks, mailoutbox
    ):
        with django_capture_on_commit_callbacks(execute=True):
            episode = an_episode(jcw_world)
        assert (episode.status, episode.opd_screened_in, episode.not_screened_in_reason) == (
            "open",
            True,
            "",
        )
        assert episode.practitioner == jcw_world["priya"]
        assert episode.pdu.code == "NORTHANTS"
        assert episode.history.count() == 1
        [message] = mailoutbox
        assert message.to == ["priya.hughes@example.com"]
        assert f"/joint-case-work/{episode.pk}/" in message.body
        assert "Adams" not in message.body + message.subject
        assert "A000001" not in message.body + message.subject
        assert log_for(episode, action="collection", record_type="JCW episode").count() == 1
        assert log_for(episode, action="disclosure").count() == 1

    def test_someone_not_screened_in_needs_a_reason(self, jcw_world):
        with pytest.raises(JcwError, match="not screened in to the OPD pathway"):
            an_episode(jcw_world, "unlisted", not_screened_in_reason="  ")
        episode = an_episode(jcw_world, "unlisted", not_screened_in_reason="Complex trauma")
        assert (episode.opd_screened_in, episode.not_screened_in_reason) == (
            False,
            "Complex trauma",
        )

    def test_more_than_six_sessions_needs_a_reason(self, jcw_world):
        with pytest.raises(JcwError, match="normally 1 to 6 sessions"):
            an_episode(jcw_world, planned_sessions=8)
        episode = an_episode(
            jcw_world, planned_sessions=8, extra_sessions_reason="Release and recall planned"
        )
        assert episode.extra_sessions_reason == "Release and recall planned"

    def test_the_database_refuses_more_than_six_planned_sessions_without_a_reason(self, jcw_world):
        episode = an_episode(jcw_world)
        with pytest.raises(IntegrityError), transaction.atomic():
            JcwEpisode.objects.filter(pk=episode.pk).update(planned_sessions=7)

    def test_the_aim_is_both_parts_or_neither(self, jcw_world):
        with pytest.raises(JcwError, match="enter both, or neither"):
            an_episode(jcw_world, desired_outcome="")
        episode = an_episode(jcw_world, dilemma="", desired_outcome="")
        assert not episode.has_aim

    def test_one_open_episode_per_person(self, jcw_world):
        an_episode(jcw_world)
        with pytest.raises(JcwError, match="already open joint case work"):
            an_episode(jcw_world, clinician=jcw_world["colleague"])
        assert JcwEpisode.objects.count() == 1


class TestContacts:
    def test_an_episode_cannot_get_a_first_contact_without_an_aim(self, jcw_world):
        episode = an_episode(jcw_world, dilemma="", desired_outcome="")
        for kind in ContactType.values:
            with pytest.raises(JcwError, match="Record the aim"):
                a_contact(
                    jcw_world,
                    episode,
                    contact_type=kind,
                    activity_types=[] if kind == "consultation" else [activity("letter")],
                )
        assert not JcwContact.objects.exists()
        jcw_episode_aim_set(
            episode=episode,
            dilemma="Disengaged",
            desired_outcome="Re-engaged",
            planned_sessions=3,
            by=jcw_world["clinician"],
        )
        assert a_contact(jcw_world, episode).session_number == 1

    def test_a_direct_contact_with_two_activity_types(self, jcw_world, mailoutbox):
        episode = an_episode(jcw_world)
        contact = a_contact(
            jcw_world,
            episode,
            contact_type=ContactType.DIRECT,
            activity_types=[activity("formulation_create"), activity("meeting_support")],
            others_took_part="Social worker",
        )
        assert contact.session_number == 1
        assert sorted(contact.activity_types.values_list("code", flat=True)) == [
            "formulation_create",
            "meeting_support",
        ]
        assert contact.history.count() == 1
        assert JcwContactActivity.history.filter(contact_id=contact.pk).count() == 2
        assert log_for(episode, action="collection", record_type="JCW contact").count() == 1

    def test_a_consultation_is_not_a_session_and_has_no_activities(self, jcw_world):
        episode = an_episode(jcw_world)
        with pytest.raises(JcwError, match="case consultation has no joint case work activities"):
            a_contact(jcw_world, episode, contact_type=ContactType.CONSULTATION)
        consultation = a_contact(
            jcw_world, episode, contact_type=ContactType.CONSULTATION, activity_types=[]
        )
        assert consultation.session_number is None
        assert a_contact(jcw_world, episode).session_number == 1

    def test_joint_case_work_needs_an_activity_and_other_needs_a_description(self, jcw_world):
        episode = an_episode(jcw_world)
        with pytest.raises(JcwError, match="Select what the joint case work involved"):
            a_contact(jcw_world, episode, activity_types=[])
        with pytest.raises(JcwError, match="Describe the other activity"):
            a_contact(jcw_world, episode, activity_types=[activity("other")])
        contact = a_contact(
            jcw_world,
            episode,
            activity_types=[activity("other")],
            other_activity="Co-facilitated a community afternoon",
        )
        assert contact.other_activity == "Co-facilitated a community afternoon"

    def test_someone_took_part_and_it_has_happened(self, jcw_world):
        episode = an_episode(jcw_world)
        with pytest.raises(JcwError, match="Say who took part"):
            a_contact(jcw_world, episode, clinician_took_part=False, practitioner_took_part=False)
        with pytest.raises(JcwError, match="must be in the past"):
            a_contact(jcw_world, episode, occurred_at=timezone.now() + timedelta(hours=2))
        with pytest.raises(JcwError, match="on or after the start"):
            a_contact(jcw_world, episode, days_ago=40)

    def test_the_seventh_session_needs_a_reason(self, jcw_world):
        episode = an_episode(jcw_world, planned_sessions=6)
        for day in range(6):
            a_contact(jcw_world, episode, days_ago=10 - day)
        with pytest.raises(JcwError, match="This is session 7"):
            a_contact(jcw_world, episode)
        seventh = a_contact(jcw_world, episode, extra_session_reason="Recall hearing next week")
        assert (seventh.session_number, seventh.extra_session_reason) == (
            7,
            "Recall hearing next week",
        )

    def test_a_reason_given_when_planning_covers_the_sessions_planned(self, jcw_world):
        episode = an_episode(
            jcw_world, planned_sessions=7, extra_sessions_reason="Release in the middle"
        )
        for day in range(7):
            a_contact(jcw_world, episode, days_ago=10 - day)
        assert episode.contacts.get(session_number=7).extra_session_reason == (
            "Release in the middle"
        )
        with pytest.raises(JcwError, match="This is session 8"):
            a_contact(jcw_world, episode)

    def test_the_database_refuses_a_seventh_session_without_a_reason(self, jcw_world):
        episode = an_episode(jcw_world)
        contact = a_contact(jcw_world, episode)
        with pytest.raises(IntegrityError), transaction.atomic():
            JcwContact.objects.filter(pk=contact.pk).update(session_number=7)
        with pytest.raises(IntegrityError), transaction.atomic():
            JcwContact.objects.filter(pk=contact.pk).update(contact_type="consultation")

    def test_either_author_records_and_the_clinician_emails_the_practitioner(
        self, jcw_world, django_capture_on_commit_callbacks, mailoutbox
    ):
        episode = an_episode(jcw_world)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            a_contact(jcw_world, episode, by=jcw_world["priya"])
        assert mailoutbox == []  # the practitioner recorded it: no one to tell
        with django_capture_on_commit_callbacks(execute=True):
            a_contact(jcw_world, episode)
        [message] = mailoutbox
        assert message.to == ["priya.hughes@example.com"]
        assert "Adams" not in message.body

    def test_no_contact_after_the_end(self, jcw_world):
        episode = an_episode(jcw_world)
        jcw_episode_close(
            episode=episode,
            outcome="achieved",
            closing_note="Done",
            closed_on=timezone.localdate(),
            by=jcw_world["clinician"],
        )
        with pytest.raises(JcwError, match="has ended"):
            a_contact(jcw_world, episode)


class TestAimAndClose:
    def test_a_stale_aim_is_refused(self, jcw_world):
        episode = an_episode(jcw_world)
        version = version_of(episode)
        a_contact(jcw_world, episode)  # someone recorded a contact meanwhile
        with pytest.raises(StaleJcwError):
            jcw_episode_aim_set(
                episode=episode,
                dilemma="New",
                desired_outcome="New",
                planned_sessions=4,
                by=jcw_world["clinician"],
                version=version,
            )

    def test_planned_sessions_cannot_drop_below_those_used(self, jcw_world):
        episode = an_episode(jcw_world)
        a_contact(jcw_world, episode, days_ago=3)
        a_contact(jcw_world, episode, days_ago=2)
        with pytest.raises(JcwError, match="plan at least 2"):
            jcw_episode_aim_set(
                episode=episode,
                dilemma="d",
                desired_outcome="o",
                planned_sessions=1,
                by=jcw_world["clinician"],
            )

    def test_closing_records_the_outcome_and_asks_for_feedback(
        self, jcw_world, django_capture_on_commit_callbacks, mailoutbox
    ):
        episode = an_episode(jcw_world)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            closed = jcw_episode_close(
                episode=episode,
                outcome="partly_achieved",
                closing_note="Formulation shared; attendance improving.",
                closed_on=timezone.localdate(),
                by=jcw_world["clinician"],
                version=version_of(episode),
            )
        assert (closed.status, closed.outcome, closed.closed_by) == (
            "closed",
            "partly_achieved",
            jcw_world["clinician"],
        )
        [message] = mailoutbox
        assert f"/joint-case-work/{episode.pk}/feedback" in message.body
        with pytest.raises(JcwError, match="has ended"):
            jcw_episode_close(
                episode=episode,
                outcome="achieved",
                closing_note="again",
                closed_on=timezone.localdate(),
                by=jcw_world["clinician"],
            )
        assert log_for(episode, action="alteration").count() == 1


class TestPractitionerView:
    def test_the_practitioner_adds_their_view_and_a_stale_change_is_refused(self, jcw_world):
        contact = a_contact(jcw_world, an_episode(jcw_world))
        version = version_of(contact)
        saved = jcw_contact_practitioner_view_set(
            contact=contact, view="Helpful: I see the pattern now.", by=jcw_world["priya"]
        )
        assert (saved.practitioner_view_by, saved.practitioner_view) == (
            jcw_world["priya"],
            "Helpful: I see the pattern now.",
        )
        with pytest.raises(StaleJcwError):
            jcw_contact_practitioner_view_set(
                contact=contact, view="Changed", by=jcw_world["spo"], version=version
            )


class TestFeedback:
    def test_feedback_is_stored_and_the_clinician_told_it_arrived(
        self, jcw_world, django_capture_on_commit_callbacks, mailoutbox
    ):
        episode = an_episode(jcw_world)
        contact = a_contact(jcw_world, episode)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            feedback = jcw_feedback_give(
                episode=episode,
                contact=contact,
                ratings=GOOD,
                worked_well="Thinking time",
                did_not_work="Too short",
                by=jcw_world["priya"],
            )
        stored = JcwFeedback.objects.get()
        assert stored == feedback
        assert (stored.stage, stored.practice_impact, stored.confidence_after) == (
            "after_contact",
            5,
            4,
        )
        [message] = mailoutbox
        assert message.to == ["olu.brennan@example.com"]
        assert "Adams" not in message.body
        assert "Thinking time" not in message.body
        assert log_for(episode, record_type="JCW feedback", action="collection").count() == 1

    def test_once_per_contact_and_once_at_the_end(self, jcw_world):
        episode = an_episode(jcw_world)
        contact = a_contact(jcw_world, episode)
        jcw_feedback_give(episode=episode, contact=contact, ratings=GOOD, by=jcw_world["priya"])
        with pytest.raises(JcwError, match="already given feedback on this contact"):
            jcw_feedback_give(episode=episode, contact=contact, ratings=GOOD, by=jcw_world["priya"])
        jcw_feedback_give(episode=episode, ratings=GOOD, by=jcw_world["priya"])
        with pytest.raises(JcwError, match="the end of this joint case work"):
            jcw_feedback_give(episode=episode, ratings=GOOD, by=jcw_world["priya"])
        assert JcwFeedback.objects.count() == 2

    def test_ratings_are_one_to_five(self, jcw_world):
        episode = an_episode(jcw_world)
        a_contact(jcw_world, episode)
        bad = Ratings(**{**GOOD.as_fields(), "important": 6})
        with pytest.raises(JcwError, match="scale of 1 to 5"):
            jcw_feedback_give(episode=episode, ratings=bad, by=jcw_world["priya"])

    def test_nothing_to_give_feedback_on_before_a_contact(self, jcw_world):
        episode = an_episode(jcw_world)
        with pytest.raises(JcwError, match="nothing to give feedback on yet"):
            jcw_feedback_give(episode=episode, ratings=GOOD, by=jcw_world["priya"])
