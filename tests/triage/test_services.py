"""Triage transitions, refused transitions, calendar invitations and emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from complexcases.cases.services import CaseAlreadyOpen
from complexcases.core.models import AccessLogEntry
from tests.triage_fixtures import a_request, next_week_at_10, requested_days_ago
from triage.models import Theme, TriageMeeting, TriageRecord, TriageRequest
from triage.services import (
    Blocker,
    ExternalInvitee,
    StaleTriageError,
    TriageError,
    triage_cancel,
    triage_mark_held,
    triage_meeting_reschedule,
    triage_meeting_schedule,
    triage_outcome_record,
    triage_request_assign,
    triage_withdraw,
)

pytestmark = pytest.mark.django_db
Status = TriageRequest.Status


@pytest.fixture(autouse=True)
def eager_celery():
    """Emails are queued on commit and sent by a worker; here the worker's work runs in-process."""
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def sent(callbacks_context, django_capture_on_commit_callbacks, fn):
    with django_capture_on_commit_callbacks(execute=True):
        return fn()


def schedule(world, request, when=None, **kwargs):
    return triage_meeting_schedule(
        request=request,
        starts_at=when or next_week_at_10(),
        duration_minutes=45,
        invitees=[
            (world["priya"], "Practitioner"),
            (world["spo"], "SPO"),
            (world["manager"], "Programme manager"),
        ],
        external_invitees=kwargs.get("external", []),
        by=world["admin"],
    )


def move(world, request, when):
    return triage_meeting_reschedule(
        request=request, starts_at=when, duration_minutes=45, reason="By phone", by=world["admin"]
    )


def ics_of(message) -> Calendar:
    [(filename, content, _mimetype)] = message.attachments
    assert filename == "invite.ics"
    return Calendar.from_ical(content)


def held(world, request):
    TriageRequest.objects.filter(pk=request.pk).update(status=Status.SCHEDULED)
    request.meeting.starts_at = timezone.now() - timedelta(hours=1)
    request.meeting.save()
    return triage_mark_held(
        request=request,
        attended=[i.pk for i in request.meeting.invitees.all()],
        by=world["manager"],
    )


class TestRequest:
    def test_a_request_is_acknowledged_to_the_requester_and_their_spo_without_names(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = a_request(triage_world)
        assert request.status == Status.REQUESTED
        # One email each (issue 21): neither sees the other's address.
        assert sorted(m.to for m in mail.outbox) == [
            ["priya.hughes@example.com"],
            ["sam.okafor@example.com"],
        ]
        email = mail.outbox[0]
        assert f"/triage/{request.pk}/" in email.body
        for personal in ("Adams", "A000001", "Jo "):
            assert personal not in email.body + email.subject
        log = AccessLogEntry.objects.filter(action="disclosure", person_crn="A000001").get()
        assert log.recipient == "priya.hughes@example.com, sam.okafor@example.com"

    def test_a_person_below_the_threshold_needs_a_reason(self, triage_world):
        with pytest.raises(TriageError, match="not on this month's list"):
            a_request(triage_world, "unlisted", below_threshold_reason="")
        request = a_request(triage_world, "unlisted")
        assert request.below_threshold_reason == "Housing crisis"

    def test_only_one_open_case_per_person(self, triage_world):
        first = a_request(triage_world)
        with pytest.raises(
            CaseAlreadyOpen, match=f"already has an open case, {first.case.reference}"
        ) as refused:
            a_request(triage_world)
        assert refused.value.case == first.case
        assert TriageRequest.objects.count() == 1
        assert first.case.reference.startswith(f"CC-{timezone.localdate():%Y}-")

    def test_assign_only_to_a_programme_manager(self, triage_world):
        request = a_request(triage_world)
        with pytest.raises(TriageError, match="only be assigned to a programme manager"):
            triage_request_assign(
                request=request, assignee=triage_world["qdo"], by=triage_world["admin"]
            )
        triage_request_assign(
            request=request, assignee=triage_world["manager"], by=triage_world["admin"]
        )
        request.refresh_from_db()
        assert request.assigned_to == triage_world["manager"]


class TestMeeting:
    def test_scheduling_invites_everyone_with_a_calendar_request(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = a_request(triage_world, "unlisted")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            meeting = schedule(
                triage_world,
                request,
                external=[ExternalInvitee("Alex Rowe", "alex.rowe@example.org", "POM")],
            )
        request.refresh_from_db()
        assert request.status == Status.SCHEDULED
        assert sorted(m.to for m in mail.outbox) == [
            ["alex.rowe@example.org"], ["morgan.ellis@example.com"], ["priya.hughes@example.com"],
            ["sam.okafor@example.com"],
        ]  # fmt: skip
        email = mail.outbox[0]
        assert "Brown" not in email.body
        assert "A000002" not in email.body
        calendar = ics_of(email)
        assert calendar["METHOD"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"{meeting.calendar_uid}@complex-cases"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == next_week_at_10()
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
        assert "Brown" not in str(event["SUMMARY"]) + str(event["DESCRIPTION"])
        assert len(event["ATTENDEE"]) == 4
        assert "10am to 10:45am" in email.body

    def test_rescheduling_keeps_the_uid_and_raises_the_sequence(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = a_request(triage_world)
        meeting = schedule(triage_world, request)
        mail.outbox.clear()
        later = next_week_at_10() + timedelta(days=1, hours=4)
        with django_capture_on_commit_callbacks(execute=True):
            triage_meeting_reschedule(
                request=request,
                starts_at=later,
                duration_minutes=60,
                reason="Room clash",
                by=triage_world["admin"],
            )
        assert all(len(m.to) == 1 for m in mail.outbox)  # one email each (issue 21)
        email = mail.outbox[0]
        [event] = ics_of(email).walk("VEVENT")
        assert str(event["UID"]) == f"{meeting.calendar_uid}@complex-cases"
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == later
        assert "Room clash" not in email.body  # free text stays behind the link
        assert "2pm to 3pm" in email.body

    def test_cancelling_sends_method_cancel_with_the_same_uid(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = a_request(triage_world)
        meeting = schedule(triage_world, request)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            triage_cancel(
                request=request, reason="Case transferred out of region", by=triage_world["admin"]
            )
        request.refresh_from_db()
        assert (request.status, request.closed_reason) == (
            Status.CANCELLED,
            "Case transferred out of region",
        )
        calendar = ics_of(mail.outbox[0])
        assert calendar["METHOD"] == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
            f"{meeting.calendar_uid}@complex-cases",
            1,
            "CANCELLED",
        )

    def test_withdrawing_a_request_with_no_meeting_sends_nothing(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = a_request(triage_world)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            triage_withdraw(request=request, reason="Resolved locally", by=triage_world["priya"])
        request.refresh_from_db()
        assert request.status == Status.WITHDRAWN
        assert mail.outbox == []

    def test_a_meeting_held_yesterday_is_recorded_without_invitations(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        """Arranged by phone: recorded after the fact, no email, no calendar file, and the log
        and the history say who recorded it."""
        request = requested_days_ago(a_request(triage_world), 3)
        mail.outbox.clear()
        yesterday = timezone.now() - timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            meeting = schedule(triage_world, request, when=yesterday)
        request.refresh_from_db()
        assert (request.status, meeting.starts_at) == (Status.SCHEDULED, yesterday)
        assert mail.outbox == []
        assert not AccessLogEntry.objects.filter(record_type="triage meeting").exists()
        log = AccessLogEntry.objects.filter(record_type="triage request", action="alteration")
        [entry] = log.filter(detail__startswith="Meeting recorded after it took place")
        assert entry.user == triage_world["admin"]
        latest = request.history.latest()
        assert latest.history_user == triage_world["admin"]
        assert latest.history_change_reason.startswith("Meeting recorded after it took place")
        triage_mark_held(request=request, attended=[], by=triage_world["manager"])
        request.refresh_from_db()
        assert request.status == Status.HELD

    def test_a_meeting_before_the_request_was_made_is_refused(self, triage_world):
        request = requested_days_ago(a_request(triage_world), 2)
        with pytest.raises(
            TriageError, match="must start after the triage request was made"
        ) as error:
            schedule(triage_world, request, when=timezone.now() - timedelta(days=3))
        assert error.value.field == "meeting_date"
        assert not TriageMeeting.objects.exists()

    def test_a_meeting_more_than_a_year_ahead_is_refused(self, triage_world):
        request = a_request(triage_world)
        with pytest.raises(TriageError, match="within the next 12 months"):
            schedule(triage_world, request, when=timezone.now() + timedelta(days=400))

    def test_moving_a_meeting_to_a_time_already_past_sends_no_update(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = requested_days_ago(a_request(triage_world), 3)
        schedule(triage_world, request)
        mail.outbox.clear()
        earlier = timezone.now() - timedelta(hours=2)
        with django_capture_on_commit_callbacks(execute=True):
            move(triage_world, request, earlier)
        assert mail.outbox == []
        assert TriageMeeting.objects.get(request=request).starts_at == earlier
        assert AccessLogEntry.objects.filter(detail__contains="no update sent").exists()
        with pytest.raises(TriageError, match="must start after the triage request was made"):
            move(triage_world, request, timezone.now() - timedelta(days=4))

    def test_a_meeting_already_held_cannot_be_moved(self, triage_world):
        request = requested_days_ago(a_request(triage_world), 3)
        schedule(triage_world, request, when=timezone.now() - timedelta(days=1))
        triage_mark_held(request=request, attended=[], by=triage_world["manager"])
        with pytest.raises(TriageError, match="this triage request is awaiting outcome"):
            move(triage_world, request, timezone.now() - timedelta(days=2))


class TestRefusedTransitions:
    def test_cannot_schedule_twice(self, triage_world):
        request = a_request(triage_world)
        schedule(triage_world, request)
        with pytest.raises(
            TriageError, match="cannot schedule a meeting: this triage request is scheduled"
        ):
            schedule(triage_world, request)

    def test_cannot_reschedule_before_scheduling(self, triage_world):
        request = a_request(triage_world)
        with pytest.raises(
            TriageError, match="cannot reschedule the meeting: this triage request is requested"
        ):
            triage_meeting_reschedule(
                request=request,
                starts_at=next_week_at_10(),
                duration_minutes=45,
                reason="x",
                by=triage_world["admin"],
            )

    def test_cannot_hold_a_meeting_that_has_not_started(self, triage_world):
        request = a_request(triage_world)
        schedule(triage_world, request)
        with pytest.raises(TriageError, match="has not started yet"):
            triage_mark_held(request=request, attended=[], by=triage_world["manager"])

    def test_cannot_record_an_outcome_before_the_meeting_is_held(self, triage_world):
        request = a_request(triage_world)
        with pytest.raises(
            TriageError, match="cannot record the outcome: this triage request is requested"
        ):
            triage_outcome_record(
                request=request,
                blockers=[Blocker("x", [])],
                guidance="g",
                outcome="closed_with_guidance",
                by=triage_world["manager"],
            )

    def test_cannot_cancel_after_the_outcome(self, triage_world):
        request = a_request(triage_world)
        schedule(triage_world, request)
        held(triage_world, request)
        triage_outcome_record(
            request=request,
            blockers=[Blocker("x", [])],
            guidance="g",
            outcome="closed_with_guidance",
            by=triage_world["manager"],
        )
        with pytest.raises(
            TriageError, match="cannot cancel it: this triage request is outcome recorded"
        ):
            triage_cancel(request=request, reason="late", by=triage_world["admin"])

    def test_cancel_needs_a_reason(self, triage_world):
        with pytest.raises(TriageError, match="Give a reason"):
            triage_cancel(request=a_request(triage_world), reason=" ", by=triage_world["admin"])


class TestOutcome:
    def test_recording_saves_blockers_with_themes_and_tells_the_practitioner_and_spo(
        self, triage_world, django_capture_on_commit_callbacks
    ):
        request = a_request(triage_world)
        schedule(triage_world, request)
        held(triage_world, request)
        housing = Theme.objects.get(name="Housing or approved premises")
        hostility = Theme.objects.get(name="Violence or hostility towards staff")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            record = triage_outcome_record(
                request=request,
                blockers=[
                    Blocker("No AP place on release", [housing]),
                    Blocker("Threats to staff", [hostility]),
                ],
                guidance="Escalate AP referral to head of PDU.",
                outcome=TriageRecord.Outcome.REFER_TO_PANEL,
                panel_ask="Secure an AP place before release.",
                by=triage_world["manager"],
            )
        request.refresh_from_db()
        assert request.status == Status.OUTCOME_RECORDED
        assert [
            (b.description, [t.name for t in b.themes.all()]) for b in record.blockers_found.all()
        ] == [
            ("No AP place on release", ["Housing or approved premises"]),
            ("Threats to staff", ["Violence or hostility towards staff"]),
        ]
        assert sorted(m.to for m in mail.outbox) == [
            ["priya.hughes@example.com"],
            ["sam.okafor@example.com"],
        ]
        email = mail.outbox[0]
        assert "Adams" not in email.body
        assert "A000001" not in email.body

    def test_refer_to_panel_needs_the_ask_and_redirect_needs_where_and_why(self, triage_world):
        from django.core.exceptions import ValidationError

        request = a_request(triage_world)
        schedule(triage_world, request)
        held(triage_world, request)
        with pytest.raises(ValidationError):
            triage_outcome_record(
                request=request,
                blockers=[Blocker("x", [])],
                guidance="g",
                outcome="refer_to_panel",
                panel_ask="",
                by=triage_world["manager"],
            )
        with pytest.raises(ValidationError):
            triage_outcome_record(
                request=request,
                blockers=[Blocker("x", [])],
                guidance="g",
                outcome="redirect",
                redirect_to="mappa",
                redirect_reason="",
                by=triage_world["manager"],
            )
        assert not TriageRecord.objects.exists()

    def test_a_stale_version_is_refused(self, triage_world):
        request = a_request(triage_world)
        schedule(triage_world, request)
        held(triage_world, request)
        request.refresh_from_db()
        stale = (request.updated_at - timedelta(seconds=5)).isoformat()
        with pytest.raises(StaleTriageError, match="Someone else changed this triage"):
            triage_outcome_record(
                request=request,
                blockers=[Blocker("x", [])],
                guidance="g",
                outcome="closed_with_guidance",
                by=triage_world["manager"],
                version=stale,
            )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_outcome_recordings_save_one(triage_world):
    """Both forms were opened at the same version; the row lock lets one through, the other is stale."""
    import threading

    from django.db import connection

    request = a_request(triage_world)
    schedule(triage_world, request)
    held(triage_world, request)
    request.refresh_from_db()
    version = request.updated_at.isoformat()
    barrier = threading.Barrier(2)
    outcomes = []

    def record(guidance):
        try:
            barrier.wait()
            triage_outcome_record(
                request=request,
                blockers=[Blocker("x", [])],
                guidance=guidance,
                outcome="closed_with_guidance",
                by=triage_world["manager"],
                version=version,
            )
            outcomes.append("saved")
        except StaleTriageError:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(g,)) for g in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["saved", "stale"]
    assert TriageRecord.objects.count() == 1
