"""After the panel (#6): my actions, follow-up check-ins, reminder digests, staff changes."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.leavers import (
    ReassignmentError,
    staff_work_counts,
    staff_work_reassign,
)
from complexcases.organisation.roles import Role
from panel.models import EarlyOutcome, FollowUp, PanelAction, PathwayClosure, ReminderDigest
from panel.reference import early_outcomes_ensure_defaults
from panel.selectors import ready_for_panel
from panel.services import (
    ActionDraft,
    PanelError,
    follow_up_record,
    panel_actions_add,
    panel_booking_create,
    panel_minutes_finalise,
    panel_minutes_save,
    reminders_send,
)
from tests.factories import UserFactory
from tests.html import error_summary, h1, parse, table_rows
from tests.panel_fixtures import a_session, held
from tests.workers import celery_worker

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def heard(world, *, on_commit=None):
    booking = held(
        panel_booking_create(
            slot=world["session"].slots.first(), triage_record=world["record"], by=world["admin"]
        )
    )
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Actions agreed."},
        attendance={i.pk: "attended" for i in booking.invitees.all()},
        by=world["admin"],
    )
    panel_minutes_finalise(booking=booking, by=world["admin"])
    booking.refresh_from_db()
    return booking


def with_actions(world, booking, *due_in_days, owner=None):
    agreed = timezone.localdate(booking.slot.starts_at)
    today = timezone.localdate()
    return panel_actions_add(
        booking=booking,
        actions=[
            ActionDraft(
                f"Action due in {days}",
                max(today + timedelta(days=days), agreed + timedelta(days=1)),
                owner=owner or world["priya"],
            )
            for days in due_in_days
        ],
        by=world["admin"],
    )


# Follow-up scheduling and recording ----------------------------------------------------------


def test_finalising_minutes_books_a_check_in_four_weeks_later_with_the_invited_qdo(panel_world):
    booking = heard(panel_world)
    (follow_up,) = booking.follow_ups.all()
    assert follow_up.due_on == timezone.localdate() + timedelta(weeks=4)
    assert follow_up.qdo == panel_world["qdo"]
    assert follow_up.status == FollowUp.Status.SCHEDULED


def record(world, follow_up, **changes):
    early_outcomes_ensure_defaults()
    arguments = {
        "follow_up": follow_up,
        "progress": {},
        "developments": "AP place offered.",
        "wellbeing": "managing",
        "wellbeing_notes": "",
        "further_support": "none",
        "early_outcomes": list(EarlyOutcome.objects.filter(name="Approved premises place secured")),
        "other_outcome": "",
        "by": world["qdo"],
        **changes,
    }
    return follow_up_record(**arguments)


def typed_date(day: date, name: str = "held_on") -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


class TestFollowUpHeldOn:
    def test_a_check_in_held_last_week_is_recorded_with_its_date(self, panel_world):
        booking = heard(panel_world)
        heard_on = timezone.localdate(booking.slot.starts_at)
        recorded = record(panel_world, booking.follow_ups.get(), held_on=heard_on)
        assert recorded.held_on == heard_on
        log = AccessLogEntry.objects.filter(detail__startswith="Follow-up 1 recorded").get()
        assert log.detail == f"Follow-up 1 recorded, held on {heard_on:%-d %B %Y}"

    def test_without_a_date_the_check_in_was_held_today(self, panel_world):
        booking = heard(panel_world)
        assert record(panel_world, booking.follow_ups.get()).held_on == timezone.localdate()

    def test_a_check_in_before_the_panel_is_refused(self, panel_world):
        booking = heard(panel_world)
        heard_on = timezone.localdate(booking.slot.starts_at)
        with pytest.raises(PanelError, match="must be on or after the panel") as error:
            record(panel_world, booking.follow_ups.get(), held_on=heard_on - timedelta(days=1))
        assert error.value.field == "held_on"
        assert booking.follow_ups.get().status == FollowUp.Status.SCHEDULED

    def test_a_check_in_in_the_future_is_refused(self, panel_world):
        booking = heard(panel_world)
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(PanelError, match="must be today or in the past"):
            record(panel_world, booking.follow_ups.get(), held_on=tomorrow)

    def test_the_database_refuses_a_completed_check_in_without_a_date(self, panel_world):
        from django.db import IntegrityError, transaction

        booking = heard(panel_world)
        recorded = record(panel_world, booking.follow_ups.get())
        with (
            pytest.raises(IntegrityError, match="follow_up_completed_has_held_on"),
            transaction.atomic(),
        ):
            FollowUp.objects.filter(pk=recorded.pk).update(held_on=None)


class TestFollowUpPaths:
    def test_no_further_support_records_outcomes_and_progress(self, panel_world):
        booking = heard(panel_world)
        (action,) = with_actions(panel_world, booking, 10)
        recorded = record(
            panel_world, booking.follow_ups.get(), progress={action.pk: "Referral escalated."}
        )
        assert recorded.status == "completed"
        assert [o.name for o in recorded.early_outcomes.all()] == [
            "Approved premises place secured"
        ]
        assert recorded.progress.get().note == "Referral escalated."
        assert list(ready_for_panel()) == []

    def test_to_the_next_panel_puts_the_case_back_in_the_ready_queue_until_booked(
        self, panel_world
    ):
        booking = heard(panel_world)
        record(panel_world, booking.follow_ups.get(), further_support="panel")
        assert list(ready_for_panel()) == [panel_world["record"]]
        panel_booking_create(
            slot=a_session(panel_world).slots.first(),
            triage_record=panel_world["record"],
            by=panel_world["admin"],
        )
        assert list(ready_for_panel()) == []

    def test_back_to_triage_asks_the_practitioner_and_spo(
        self, panel_world, django_capture_on_commit_callbacks
    ):
        from complexcases.celery import app

        app.conf.task_always_eager = True
        try:
            booking = heard(panel_world)
            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                record(panel_world, booking.follow_ups.get(), further_support="triage")
        finally:
            app.conf.task_always_eager = False
        # One email each (issue 21): neither sees the other's address.
        assert sorted(m.to for m in mail.outbox) == [
            ["priya.hughes@example.com"],
            ["sam.okafor@example.com"],
        ]
        message = mail.outbox[0]
        assert "A000001" not in message.body
        home = as_user(panel_world["priya"]).get(reverse("home"))
        assert "A follow-up recommends a further triage for Adams, Jo" in parse(home).get_text(
            " ", strip=True
        )

    def test_a_further_check_in_can_be_booked(self, panel_world):
        booking = heard(panel_world)
        record(panel_world, booking.follow_ups.get(), next_check_in_weeks=6)
        second = booking.follow_ups.get(number=2)
        assert second.due_on == timezone.localdate() + timedelta(weeks=6)
        assert second.qdo == panel_world["qdo"]

    def test_other_outcome_needs_words_and_a_recorded_check_in_cannot_be_recorded_again(
        self, panel_world
    ):
        booking = heard(panel_world)
        follow_up = booking.follow_ups.get()
        with pytest.raises(PanelError, match="other early outcome"):
            record(
                panel_world,
                follow_up,
                early_outcomes=list(EarlyOutcome.objects.filter(name="Other")),
            )
        record(panel_world, follow_up)
        with pytest.raises(PanelError, match="already recorded"):
            record(panel_world, follow_up)

    def test_closing_on_the_pathway_cancels_scheduled_check_ins(self, panel_world):
        booking = heard(panel_world)
        response = as_user(panel_world["qdo"]).post(
            reverse("panel:pathway-close", args=[booking.pk]), {"reason": "Recalled to custody"}
        )
        assert response.status_code == 302
        assert PathwayClosure.objects.get().reason == "Recalled to custody"
        assert booking.follow_ups.get().status == FollowUp.Status.CANCELLED


def test_the_follow_up_page_records_a_check_in_and_offers_ndelius_text(panel_world):
    booking = heard(panel_world)
    (action,) = with_actions(panel_world, booking, 10)
    early_outcomes_ensure_defaults()
    follow_up = booking.follow_ups.get()
    client = as_user(panel_world["qdo"])
    rows = table_rows(client.get(reverse("panel:follow-ups")), "Follow-up check-ins to record")
    assert rows[0][0] == f"Adams, Jo (A000001) Case {booking.case.reference}"
    url = reverse("panel:follow-up", args=[follow_up.pk])
    response = client.post(
        url, {f"progress_{action.pk}": "Escalated.", "developments": "Better engagement."}
    )
    assert error_summary(response) == [
        "Enter the date the check-in was held",
        "Select how the practitioner is",
        "Select whether further support is needed",
    ]
    assert (
        parse(response).find("textarea", {"name": "developments"}).get_text().strip()
        == "Better engagement."
    )
    outcome = EarlyOutcome.objects.get(name="Mental health support in place")
    heard_on = timezone.localdate(booking.slot.starts_at)
    answers = {
        f"progress_{action.pk}": "Escalated.",
        "developments": "Better engagement.",
        "wellbeing": "under_pressure",
        "further_support": "none",
        "early_outcomes": [outcome.pk],
    }
    response = client.post(url, answers | typed_date(heard_on - timedelta(days=1)))
    assert error_summary(response) == [
        f"The date the check-in was held must be on or after the panel, {heard_on:%-d %B %Y}"
    ]
    assert parse(response).find("input", {"name": "held_on_0"})["value"] == str(
        (heard_on - timedelta(days=1)).day
    )
    client.post(url, answers | typed_date(heard_on))
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.held_on) == ("completed", heard_on)
    page = parse(client.get(url)).get_text(" ", strip=True)
    assert f"Held on {heard_on:%-d %B %Y}" in page
    text = (
        parse(client.get(reverse("panel:follow-up-ndelius", args=[follow_up.pk])))
        .find("textarea")
        .get_text()
    )
    assert "wellbeing" not in text.lower()  # about the practitioner: it stays in the service
    assert "Early outcomes: Mental health support in place" in text
    assert "- Action due in 10: Escalated." in text


# My actions -----------------------------------------------------------------------------------


def test_my_actions_tabs_counts_and_due_in_words(panel_world):
    booking = heard(panel_world)
    with_actions(panel_world, booking, 3, 20)
    overdue = with_actions(panel_world, booking, 30)[0]
    PanelAction.objects.filter(pk=overdue.pk).update(
        agreed_on=timezone.localdate() - timedelta(days=60),
        due_date=timezone.localdate() - timedelta(days=2),
    )
    client = as_user(panel_world["priya"])
    client.get(reverse("panel:my-actions"))
    response = client.get(reverse("panel:my-actions"))
    assert h1(response) == "My actions"
    nav = [a.get_text(strip=True) for a in parse(response).select(".moj-sub-navigation__link")]
    assert nav == ["Open (3)", "Due soon (1)", "Overdue (1)", "Done (0)"]
    statuses = [row[4] for row in table_rows(response, "Open actions")]
    assert statuses == ["Overdue by 2 days", "Due in 3 days", "Due in 20 days"]
    badge = parse(response).select_one(".moj-notification-badge").get_text(" ", strip=True)
    assert badge == "3 open"
    assert AccessLogEntry.objects.filter(record_type="panel action", detail="My actions").exists()


def test_update_then_complete_an_action(panel_world):
    booking = heard(panel_world)
    (action,) = with_actions(panel_world, booking, 5)
    client = as_user(panel_world["priya"])
    version = action.updated_at.isoformat()
    client.post(
        reverse("panel:action-update", args=[action.pk]),
        {"update-note": "Called the AP manager.", "update-version": version},
    )
    assert action.updates.get().note == "Called the AP manager."
    stale = client.post(
        reverse("panel:action-complete", args=[action.pk]),
        {"close-status": "done", "close-outcome_note": "Place found.", "close-version": version},
    )
    assert error_summary(stale)[0].startswith("Someone else updated this action")
    action.refresh_from_db()
    response = client.post(
        reverse("panel:action-complete", args=[action.pk]),
        {
            "close-status": "done",
            "close-outcome_note": "Place found.",
            "close-version": action.updated_at.isoformat(),
        },
    )
    assert response["Location"] == reverse("panel:my-actions")
    action.refresh_from_db()
    assert (action.status, action.outcome_note) == ("done", "Place found.")
    again = client.post(
        reverse("panel:action-complete", args=[action.pk]),
        {"close-status": "done", "close-outcome_note": "x"},
    )
    assert error_summary(again) == ["This action is already closed: done"]


def test_someone_who_can_see_but_not_work_on_an_action_is_told(panel_world):
    booking = heard(panel_world)
    (action,) = with_actions(panel_world, booking, 5)
    head = UserFactory(pdu=panel_world["listed"].pdu, roles=[Role.HEAD_OF_SERVICE])
    client = as_user(head)
    assert client.get(reverse("panel:action", args=[action.pk])).status_code == 200
    response = client.post(
        reverse("panel:action-update", args=[action.pk]), {"update-note": "x"}, follow=True
    )
    assert "Only the owner, the chaser" in response.content.decode()
    assert not action.updates.exists()


def test_carry_over_open_actions_onto_the_next_panel(panel_world):
    booking = heard(panel_world)
    with_actions(panel_world, booking, 5)
    follow_up = booking.follow_ups.get()
    record(panel_world, follow_up, further_support="panel")
    later = panel_booking_create(
        slot=a_session(panel_world).slots.first(),
        triage_record=panel_world["record"],
        by=panel_world["admin"],
    )
    client = as_user(panel_world["admin"])
    rows = table_rows(
        client.get(reverse("panel:booking", args=[later.pk])), "Open actions from earlier panels"
    )
    assert [row[0] for row in rows] == ["Action due in 5"]
    later = held(later)
    rows = table_rows(
        client.get(reverse("panel:minutes-edit", args=[later.pk])),
        "Open actions from earlier panels: review them in the meeting",
    )
    assert len(rows) == 1


# Reminders -------------------------------------------------------------------------------------


def digest_world(world):
    """Priya: one action due in 3 days, one overdue by 20 days (escalated to Sam, her SPO); the
    QDO: a check-in due; Mina Shah (external) is chased by the chair."""
    booking = heard(world)
    soon, late = with_actions(world, booking, 3, 10)
    PanelAction.objects.filter(pk=late.pk).update(
        agreed_on=timezone.localdate() - timedelta(days=60),
        due_date=timezone.localdate() - timedelta(days=20),
    )
    panel_actions_add(
        booking=booking,
        actions=[
            ActionDraft(
                "External",
                timezone.localdate() + timedelta(days=1),
                owner_name="Mina Shah",
                chaser=world["chair"],
            )
        ],
        by=world["admin"],
    )
    FollowUp.objects.filter(booking=booking).update(due_on=timezone.localdate() + timedelta(days=2))
    return booking, soon, late


class TestReminders:
    @pytest.fixture(autouse=True)
    def eager(self):
        from complexcases.celery import app

        app.conf.task_always_eager = True
        yield
        app.conf.task_always_eager = False

    def test_one_digest_each_links_only_escalation_to_the_line_manager(
        self, panel_world, django_capture_on_commit_callbacks
    ):
        _booking, soon, late = digest_world(panel_world)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send() == 4
        by_address = {m.to[0]: m for m in mail.outbox}
        assert set(by_address) == {
            "priya.hughes@example.com",
            "sam.okafor@example.com",
            "quinn@example.com",
            "helen.ortiz@example.com",
        }
        priya = by_address["priya.hughes@example.com"].body
        assert f"Action due in 3 days: http://127.0.0.1:8000/actions/{soon.pk}/" in priya
        assert f"Action overdue by 20 days: http://127.0.0.1:8000/actions/{late.pk}/" in priya
        sam = by_address["sam.okafor@example.com"].body
        assert "overdue by more than 14 days" in sam
        assert f"/actions/{soon.pk}/" not in sam
        assert "Check-in due in 2 days" in by_address["quinn@example.com"].body
        assert "Action due in 1 day" in by_address["helen.ortiz@example.com"].body
        for message in mail.outbox:
            assert "Adams" not in message.body
            assert "A000001" not in message.body
        assert AccessLogEntry.objects.filter(record_type="reminder digest").count() == 4

    def test_a_second_run_the_same_day_sends_nothing(
        self, panel_world, django_capture_on_commit_callbacks
    ):
        digest_world(panel_world)
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send() == 0
        assert mail.outbox == []
        assert ReminderDigest.objects.filter(day=timezone.localdate()).count() == 4

    def test_no_email_when_nothing_is_due(self, panel_world, django_capture_on_commit_callbacks):
        booking = heard(panel_world)
        with_actions(panel_world, booking, 30)
        FollowUp.objects.update(due_on=timezone.localdate() + timedelta(days=28))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send() == 0
        assert mail.outbox == []

    def test_escalation_only_after_the_threshold(self, panel_world):
        from panel.services import reminder_digests

        booking = heard(panel_world)
        (action,) = with_actions(panel_world, booking, 10)
        today = timezone.localdate()
        PanelAction.objects.filter(pk=action.pk).update(
            agreed_on=today - timedelta(days=60), due_date=today - timedelta(days=14)
        )
        digests = {user.email: d for user, d in reminder_digests(today=today).items()}
        assert "sam.okafor@example.com" not in digests
        PanelAction.objects.filter(pk=action.pk).update(
            agreed_on=today - timedelta(days=60), due_date=today - timedelta(days=15)
        )
        digests = {user.email: d for user, d in reminder_digests(today=today).items()}
        assert [a.pk for a in digests["sam.okafor@example.com"].escalations] == [action.pk]

    def test_frozen_time_digest_counts_days_from_that_morning(self, panel_world):
        from panel.services import reminder_digests

        with time_machine.travel(
            datetime(2026, 12, 1, 7, 30, tzinfo=timezone.get_current_timezone()), tick=False
        ):
            booking = heard(panel_world)
            panel_actions_add(
                booking=booking,
                actions=[ActionDraft("x", date(2026, 12, 8), owner=panel_world["priya"])],
                by=panel_world["admin"],
            )
            digests = {
                user.email: d for user, d in reminder_digests(today=date(2026, 12, 1)).items()
            }
        assert [a.due_date for a in digests["priya.hughes@example.com"].actions] == [
            date(2026, 12, 8)
        ]
        assert "priya.hughes@example.com" not in {
            user.email for user in reminder_digests(today=date(2026, 11, 30))
        }


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_runs_through_a_real_worker(panel_world, tmp_path):
    from panel.tasks import send_reminders

    digest_world(panel_world)
    with celery_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    ) as queue:
        assert send_reminders.apply_async(queue=queue, ignore_result=False).get(timeout=60) == 4
        assert send_reminders.apply_async(queue=queue, ignore_result=False).get(timeout=60) == 0
        import time

        def sent() -> list[str]:
            # The file backend writes one file per connection, named by the second and the
            # connection's id: two sends in one second can share a file, so count messages.
            separator = "-" * 79 + "\n"
            return [
                message
                for path in tmp_path.iterdir()
                for message in path.read_text().split(separator)
                if message.strip()
            ]

        deadline = time.monotonic() + 30
        while len(sent()) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
    messages = sent()
    assert len(messages) == 4
    assert any(
        "To: sam.okafor@example.com" in m and "overdue by more than 14 days" in m for m in messages
    )


def test_send_reminders_command(panel_world, capsys):
    from django.core.management import call_command

    digest_world(panel_world)
    call_command("send_reminders")
    assert capsys.readouterr().out.strip() == "4 reminder digests sent."


# Staff changes --------------------------------------------------------------------------------


def test_reassigning_a_leaver_moves_every_open_item_and_tells_each_person(
    panel_world, django_capture_on_commit_callbacks
):
    from complexcases.celery import app

    booking = heard(panel_world)
    with_actions(panel_world, booking, 5, 9)
    world = panel_world
    new_pp = UserFactory(
        first_name="Ola",
        last_name="Bell",
        email="ola.bell@example.com",
        pdu=world["listed"].pdu,
        team=world["priya"].team,
        roles=[Role.PROBATION_PRACTITIONER],
    )
    assert staff_work_counts(leaver=world["priya"]) == {
        "actions": 2,
        "chasing": 0,
        "follow_ups": 0,
        "caseload": 2,
        "jcw": 0,
    }
    client = as_user(world["spo"])
    url = reverse("organisation:reassign", args=[world["priya"].pk])
    preview = client.post(url, {"actions": new_pp.pk, "caseload": new_pp.pk})
    assert "Check the changes" in preview.content.decode()
    assert PanelAction.objects.filter(owner=world["priya"]).count() == 2
    app.conf.task_always_eager = True
    try:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"actions": new_pp.pk, "caseload": new_pp.pk, "confirmed": "yes"}, follow=True
            )
    finally:
        app.conf.task_always_eager = False
    assert "4 items passed on" in response.content.decode()
    assert PanelAction.objects.filter(owner=new_pp, status="open").count() == 2
    assert new_pp.caseload.count() == 2
    assert {m.to[0] for m in mail.outbox} == {"ola.bell@example.com", "priya.hughes@example.com"}
    assert AccessLogEntry.objects.filter(record_type__startswith="reassignment").count() == 4


def test_an_spo_cannot_reassign_someone_outside_their_team(panel_world):
    response = as_user(panel_world["spo"]).get(
        reverse("organisation:reassign", args=[panel_world["other"].pk])
    )
    assert response.status_code == 404


def test_follow_ups_move_only_to_a_qdo(panel_world):
    booking = heard(panel_world)
    assert booking.follow_ups.get().qdo == panel_world["qdo"]
    with pytest.raises(ReassignmentError, match="quality development officer"):
        staff_work_reassign(
            leaver=panel_world["qdo"],
            to={"follow_ups": panel_world["priya"]},
            by=panel_world["admin"],
        )


def test_the_subject_access_report_includes_panel_and_follow_up_records(panel_world):
    from complexcases.core.subject_access import subject_access_report

    booking = heard(panel_world)
    with_actions(panel_world, booking, 5)
    report = subject_access_report(person=panel_world["listed"], redact_staff=True)
    (entry,) = report["panel_bookings"]
    assert entry["status"] == "Heard"
    assert entry["minutes_versions"][0]["content"]["chair_summary"] == "Actions agreed."
    assert {i["name"] for i in entry["invitees"]} == {"[redacted]"}
    assert report["panel_actions"][0]["description"] == "Action due in 5"
    assert report["follow_ups"][0]["status"] == "scheduled"
    assert "joint_case_work" in report


def test_the_subject_access_report_includes_learning_invitees_and_check_in_progress(panel_world):
    """Issue 18 item 8: what was learnt from the person's case, who was invited from which
    organisation and why, and what each check-in found about their actions."""
    from complexcases.core.subject_access import subject_access_report
    from complexcases.reporting.services import learning_entry_create
    from triage.models import Theme

    booking = heard(panel_world)
    (action,) = with_actions(panel_world, booking, 10)
    record(panel_world, booking.follow_ups.get(), progress={action.pk: "Referral escalated."})
    invitee = booking.invitees.filter(removed_at__isnull=True).exclude(suggested_because="").first()
    invitee.organisation = "Approved Premises North"
    invitee.save(update_fields=["organisation"])
    learning_entry_create(
        booking=booking,
        blocker="No approved premises place would take him.",
        what_unblocked="The head of PDU escalated it.",
        helped_by="Regional approved premises unit",
        themes=[Theme.objects.get(name="Housing or approved premises")],
        by=panel_world["admin"],
    )
    report = subject_access_report(person=panel_world["listed"], redact_staff=True)
    (entry,) = report["learning_entries"]
    assert entry["blocker"] == "No approved premises place would take him."
    assert entry["what_unblocked"] == "The head of PDU escalated it."
    assert entry["helped_by"] == "Regional approved premises unit"
    assert entry["themes"] == ["Housing or approved premises"]
    assert entry["recorded_by"] == "[member of staff]"
    invitees = report["panel_bookings"][0]["invitees"]
    assert {
        "organisation": "Approved Premises North",
        "suggested_because": invitee.suggested_because,
    }.items() <= next(i for i in invitees if i["organisation"]).items()
    assert report["follow_ups"][0]["action_progress"] == [
        {"action": "Action due in 10", "note": "Referral escalated."}
    ]
    # Nobody else's learning: another person's report has none.
    other = subject_access_report(person=panel_world["unlisted"], redact_staff=True)
    assert other["learning_entries"] == []


def test_a_leavers_overdue_action_still_reaches_their_manager(panel_world):
    from panel.services import reminder_digests

    booking = heard(panel_world)
    (action,) = with_actions(panel_world, booking, 10)
    today = timezone.localdate()
    PanelAction.objects.filter(pk=action.pk).update(
        agreed_on=today - timedelta(days=60), due_date=today - timedelta(days=20)
    )
    panel_world["priya"].is_active = False
    panel_world["priya"].save()
    digests = {user.email: d for user, d in reminder_digests(today=today).items()}
    assert "priya.hughes@example.com" not in digests
    assert [a.pk for a in digests["sam.okafor@example.com"].escalations] == [action.pk]


def test_only_the_assigned_qdo_or_the_team_records_a_check_in(panel_world):
    booking = heard(panel_world)
    follow_up = booking.follow_ups.get()
    other_qdo = UserFactory(roles=[Role.QUALITY_DEVELOPMENT_OFFICER])
    page = parse(as_user(other_qdo).get(reverse("panel:follow-up", args=[follow_up.pk])))
    assert page.select("input[name=wellbeing]") == []
    assert (
        as_user(panel_world["qdo"])
        .get(reverse("panel:follow-up", args=[follow_up.pk]))
        .content.count(b'name="wellbeing"')
        == 4
    )


def test_an_spo_sees_their_teams_actions(panel_world):
    booking = heard(panel_world)
    with_actions(panel_world, booking, 5)
    client = as_user(panel_world["spo"])
    assert (
        "No actions here." in client.get(reverse("panel:my-actions")).content.decode()
    )  # not theirs
    rows = table_rows(client.get(reverse("panel:my-actions"), {"scope": "team"}), "Open actions")
    assert [(row[0], row[2]) for row in rows] == [("Action due in 5", "Priya Hughes")]
