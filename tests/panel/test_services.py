"""Panel services: recurrence, booking, bespoke invitations, papers, minutes and actions."""

import io
import threading
import zipfile
from datetime import date, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from icalendar import Calendar

from complexcases.core.models import AccessLogEntry
from panel.models import (
    PanelAction,
    PanelBooking,
    PanelInvitee,
    PanelMinutesVersion,
    PanelPattern,
    PanelSession,
)
from panel.recurrence import nth_weekday, session_date
from panel.selectors import (
    free_slots,
    invitation_suggestions,
    papers_open_to,
    ready_for_panel,
)
from panel.services import (
    ActionDraft,
    PanelError,
    panel_actions_add,
    panel_booking_create,
    panel_deputy_nominate,
    panel_invitations_send,
    panel_invitee_add,
    panel_invitee_remove,
    panel_minutes_finalise,
    panel_minutes_save,
    panel_paper_add,
    panel_papers_release,
    panel_pattern_create,
    panel_session_cancel,
    panel_session_move,
    panel_sessions_generate,
)
from tests.panel_fixtures import a_session, held, referred

pytestmark = pytest.mark.django_db


def ics_of(message) -> Calendar:
    (name, content, _mimetype) = message.attachments[0]
    assert name == "invite.ics"
    return Calendar.from_ical(content)


def booked(world, slot=None):
    slot = slot or world["session"].slots.first()
    return panel_booking_create(slot=slot, triage_record=world["record"], by=world["admin"])


# Recurrence -------------------------------------------------------------------------------------


class TestRecurrence:
    def test_first_monday_when_the_month_starts_on_a_monday(self):
        """June 2026 starts on a Monday: the first Monday is the 1st."""
        assert nth_weekday(date(2026, 6, 1), week=1, weekday=0) == date(2026, 6, 1)

    def test_first_monday_when_the_month_starts_on_a_tuesday(self):
        """September 2026 starts on a Tuesday: the first Monday is the 7th."""
        assert nth_weekday(date(2026, 9, 1), week=1, weekday=0) == date(2026, 9, 7)

    def test_the_early_may_bank_holiday_moves_the_session_to_the_tuesday(self):
        """4 May 2026 is the early May bank holiday (from the holidays package)."""
        assert nth_weekday(date(2026, 5, 1), week=1, weekday=0) == date(2026, 5, 4)
        assert session_date(date(2026, 5, 1), week=1, weekday=0) == date(2026, 5, 5)

    def test_a_bank_holiday_monday_in_august(self):
        """The last Monday of August 2026 (31st) is the summer bank holiday."""
        assert session_date(date(2026, 8, 1), week=5, weekday=0) == date(2026, 9, 1)

    def test_second_wednesday_and_last_friday(self):
        assert nth_weekday(date(2026, 11, 1), week=2, weekday=2) == date(2026, 11, 11)
        assert nth_weekday(date(2026, 11, 1), week=5, weekday=4) == date(2026, 11, 27)

    def test_a_pattern_makes_its_sessions_once(self, panel_world):
        """Three months ahead from mid-April 2026: May (moved to the 5th), June, July; run twice, made once."""
        with time_machine.travel(
            timezone.make_aware(timezone.datetime(2026, 4, 15, 9, 0)), tick=False
        ):
            pattern = panel_pattern_create(
                region=panel_world["listed"].pdu.region,
                week=PanelPattern.Week.FIRST,
                weekday=PanelPattern.Weekday.MONDAY,
                start_time=time(10, 0),
                slot_count=4,
                slot_minutes=45,
                months_ahead=3,
                by=panel_world["admin"],
            )
            assert panel_sessions_generate() == []
        sessions = PanelSession.objects.filter(pattern=pattern).order_by("starts_at")
        starts = [timezone.localtime(s.starts_at) for s in sessions]
        assert [s.date() for s in starts] == [date(2026, 5, 5), date(2026, 6, 1), date(2026, 7, 6)]
        assert {s.time() for s in starts} == {time(10, 0)}
        slots = list(sessions[0].slots.all())
        assert [timezone.localtime(slot.starts_at).time() for slot in slots] == [
            time(10, 0),
            time(10, 45),
            time(11, 30),
            time(12, 15),
        ]
        assert pattern.description == "First Monday of each month, 10am, 4 45-minute slots"

    def test_april_session_already_past_is_not_made(self, panel_world):
        """On 15 April the April session (6 April) is past, so it is skipped, not made late."""
        with time_machine.travel(
            timezone.make_aware(timezone.datetime(2026, 4, 15, 9, 0)), tick=False
        ):
            pattern = panel_pattern_create(
                region=panel_world["listed"].pdu.region,
                week=1,
                weekday=0,
                start_time=time(10, 0),
                slot_count=2,
                slot_minutes=45,
                months_ahead=1,
                by=panel_world["admin"],
            )
        months = sorted(
            PanelSession.objects.filter(pattern=pattern).values_list("pattern_month", flat=True)
        )
        assert months == [date(2026, 5, 1)]


# Booking ------------------------------------------------------------------------------------------


class TestBooking:
    def test_a_referred_case_waits_then_is_booked_with_its_bespoke_list(self, panel_world):
        assert list(ready_for_panel()) == [panel_world["record"]]
        booking = booked(panel_world)
        assert list(ready_for_panel()) == []
        seats = {(i.role.code, i.display_name) for i in booking.invitees.all()}
        assert ("chair", "Helen Ortiz") in seats
        assert ("head_of_pdu", "Nadia Price") in seats
        assert ("practitioner", "Priya Hughes") in seats
        assert ("spo", "Sam Okafor") in seats
        # Adams is screened in to OPD: the OPD lead is suggested and found among the members.
        assert ("opd_lead", "Olu Bakare") in seats
        assert AccessLogEntry.objects.filter(
            person_crn="A000001", detail="Booked into a panel slot"
        ).exists()

    def test_a_slot_holds_one_case(self, panel_world):
        booked(panel_world)
        other = referred(panel_world, "unlisted")
        with pytest.raises(PanelError, match="just been booked"):
            panel_booking_create(
                slot=panel_world["session"].slots.first(),
                triage_record=other,
                by=panel_world["admin"],
            )
        assert free_slots().count() == 3

    @pytest.mark.django_db(transaction=True)
    def test_two_administrators_booking_the_same_slot_at_once(self, panel_world):
        """The database constraint decides: exactly one booking lands, the other is told."""
        other = referred(panel_world, "unlisted")
        slot = panel_world["session"].slots.first()
        barrier = threading.Barrier(2)
        results = []

        def book(record):
            try:
                barrier.wait()
                results.append(
                    panel_booking_create(slot=slot, triage_record=record, by=panel_world["admin"])
                )
            except PanelError as error:
                results.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=book, args=(r,)) for r in (panel_world["record"], other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(type(r).__name__ for r in results) == ["PanelBooking", "PanelError"]
        assert PanelBooking.objects.filter(slot=slot).count() == 1

    def test_a_slot_in_a_cancelled_session_cannot_be_booked(self, panel_world):
        panel_session_cancel(
            session=panel_world["session"], reason="Chair unavailable", by=panel_world["admin"]
        )
        with pytest.raises(PanelError, match="cancelled"):
            booked(panel_world)


class TestSuggestions:
    def codes(self, world, person_key, themes=()):
        record = (
            referred(world, person_key, themes=themes)
            if person_key != "listed"
            else world["record"]
        )
        return {
            s.role_code: s.because
            for s in invitation_suggestions(person=record.request.person, triage_record=record)
        }

    def test_core_membership_and_the_case_holders_always(self, panel_world):
        codes = self.codes(panel_world, "listed")
        for code in (
            "chair",
            "deputy_chair",
            "head_of_pdu",
            "custody_psychologist",
            "case_administrator",
        ):
            assert codes[code] == "Core member"
        assert codes["practitioner"] == "Holds the case"

    def test_opd_screened_in_suggests_the_opd_lead(self, panel_world):
        assert self.codes(panel_world, "listed")["opd_lead"] == "Screened in to the OPD pathway"
        assert "opd_lead" not in self.codes(panel_world, "unlisted")

    def test_mental_health_theme_suggests_mental_health_and_social_care(self, panel_world):
        codes = self.codes(panel_world, "elsewhere", themes=["Mental health"])
        assert codes["mental_health"] == codes["adult_social_care"] == "Triage theme: mental health"
        assert "mental_health" not in self.codes(panel_world, "listed")

    def test_in_custody_or_near_release_suggests_pom_and_prison(self, panel_world):
        """Brown is in custody with release in 30 days."""
        codes = self.codes(panel_world, "unlisted")
        assert (
            codes["pom"]
            == codes["prison_representative"]
            == "In custody or due for release within 12 weeks"
        )
        assert "pom" not in self.codes(panel_world, "listed")

    def test_gender_identity_theme_suggests_the_equalities_manager(self, panel_world):
        assert "equalities_manager" in self.codes(
            panel_world, "elsewhere", themes=["Gender identity"]
        )
        assert "equalities_manager" not in self.codes(panel_world, "listed")


# Sessions changing ---------------------------------------------------------------------------------


class TestSessionChanges:
    def test_invitations_carry_an_ics_that_calendars_read(self, panel_world):
        booking = booked(panel_world)
        mail.outbox.clear()
        with self.captured(panel_world):
            sent = panel_invitations_send(booking=booking, by=panel_world["admin"])
        assert sent == booking.invitees.count()
        # One email per invitee (issue 21; tests/panel/test_papers_links.py for the rest).
        assert len(mail.outbox) == sent
        recipients = [m.to for m in mail.outbox]
        assert ["priya.hughes@example.com"] in recipients
        assert ["olu.bakare@nhs.example"] in recipients
        (message,) = [m for m in mail.outbox if m.to == ["priya.hughes@example.com"]]
        assert "Adams" not in message.body
        assert "A000001" not in message.body
        event = ics_of(message).walk("VEVENT")[0]
        assert str(event["uid"]) == f"{booking.calendar_uid}@complex-cases"
        assert event["sequence"] == 0
        assert event.decoded("dtstart") == booking.slot.starts_at
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
        assert "Adams" not in str(event["summary"]) + str(event["description"])

    def captured(self, world):
        return self._Capture()

    class _Capture:
        """Run on_commit callbacks (emails) inside the test transaction."""

        def __enter__(self):
            from django.test import TestCase

            self.context = TestCase.captureOnCommitCallbacks(execute=True)
            return self.context.__enter__()

        def __exit__(self, *exc):
            return self.context.__exit__(*exc)

    def test_moving_a_session_updates_the_same_event(self, panel_world):
        booking = booked(panel_world)
        with self.captured(panel_world):
            panel_invitations_send(booking=booking, by=panel_world["admin"])
        mail.outbox.clear()
        new_start = panel_world["session"].starts_at + timedelta(days=1, hours=1)
        with self.captured(panel_world):
            panel_session_move(
                session=panel_world["session"],
                starts_at=new_start,
                reason="Chair on leave",
                by=panel_world["admin"],
            )
        assert len(mail.outbox) == booking.invitees.count()
        (message,) = [m for m in mail.outbox if m.to == ["priya.hughes@example.com"]]
        event = ics_of(message).walk("VEVENT")[0]
        assert str(event["uid"]) == f"{booking.calendar_uid}@complex-cases"
        assert event["sequence"] == 1
        assert event.decoded("dtstart") == new_start
        assert "Chair on leave" not in message.body
        booking.refresh_from_db()
        assert booking.slot.starts_at == new_start

    def test_cancelling_a_session_cancels_its_bookings_and_tells_everyone(self, panel_world):
        booking = booked(panel_world)
        with self.captured(panel_world):
            panel_invitations_send(booking=booking, by=panel_world["admin"])
        mail.outbox.clear()
        with self.captured(panel_world):
            panel_session_cancel(
                session=panel_world["session"], reason="Chair unavailable", by=panel_world["admin"]
            )
        assert len(mail.outbox) == booking.invitees.count()
        (message,) = [m for m in mail.outbox if m.to == ["priya.hughes@example.com"]]
        calendar = ics_of(message)
        assert str(calendar["method"]) == "CANCEL"
        assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"
        booking.refresh_from_db()
        assert booking.status == PanelBooking.Status.CANCELLED
        assert list(ready_for_panel()) == [panel_world["record"]]

    def test_a_started_session_cannot_be_cancelled(self, panel_world):
        held(booked(panel_world))
        with pytest.raises(PanelError, match="started"):
            panel_session_cancel(
                session=panel_world["session"], reason="x", by=panel_world["admin"]
            )


class TestInvitees:
    def test_adding_after_invitations_invites_at_once_and_removing_cancels(self, panel_world):
        booking = booked(panel_world)
        with TestSessionChanges._Capture():
            panel_invitations_send(booking=booking, by=panel_world["admin"])
        mail.outbox.clear()
        with TestSessionChanges._Capture():
            guest = panel_invitee_add(
                booking=booking,
                role=panel_world["roles"]["prison_representative"],
                name="Dee Cole",
                organisation="HMP Example",
                email="dee.cole@justice.example",
                by=panel_world["admin"],
            )
        assert [m.to for m in mail.outbox] == [["dee.cole@justice.example"]]
        mail.outbox.clear()
        with TestSessionChanges._Capture():
            panel_invitee_remove(invitee=guest, by=panel_world["admin"])
        (message,) = mail.outbox
        assert message.to == ["dee.cole@justice.example"]
        assert str(ics_of(message)["method"]) == "CANCEL"
        assert PanelInvitee.objects.get(pk=guest.pk).removed_at is not None

    def test_the_same_member_of_staff_cannot_be_added_twice(self, panel_world):
        booking = booked(panel_world)
        with pytest.raises(PanelError, match="already invited"):
            panel_invitee_add(
                booking=booking,
                role=panel_world["roles"]["other"],
                user=panel_world["chair"],
                by=panel_world["admin"],
            )

    def test_a_member_nominates_a_deputy_who_is_then_invited(self, panel_world):
        booking = booked(panel_world)
        with TestSessionChanges._Capture():
            panel_invitations_send(booking=booking, by=panel_world["admin"])
        mail.outbox.clear()
        chair = booking.invitees.get(user=panel_world["chair"])
        with TestSessionChanges._Capture():
            panel_deputy_nominate(
                invitee=chair, deputy_user=panel_world["psychologist"], by=panel_world["chair"]
            )
        assert [m.to for m in mail.outbox] == [["fran@example.com"]]
        chair.refresh_from_db()
        assert chair.deputy_user == panel_world["psychologist"]


# Papers -------------------------------------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


class TestPapers:
    @pytest.mark.parametrize(
        ("content", "kind"),
        [
            (b"%PDF-1.7\n1 0 obj\n", "pdf"),
            (None, "docx"),
            (None, "odt"),
            ("Case notes \u2013 plain text\n".encode(), "txt"),
            ("\ufeffNotes saved by Notepad with a byte-order mark\n".encode(), "txt"),
        ],
    )
    def test_accepted_kinds_are_read_from_the_content(self, panel_world, content, kind):
        content = content or {"docx": docx_bytes, "odt": odt_bytes}[kind]()
        booking = booked(panel_world)
        paper = panel_paper_add(
            booking=booking,
            title="Report",
            upload=SimpleUploadedFile("anything.bin", content),
            by=panel_world["admin"],
        )
        assert paper.kind == kind
        assert paper.file.name.startswith("panel-papers/")
        assert "anything" not in paper.file.name
        with paper.file.open("rb") as stored:
            assert stored.read() == content

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "report.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
                "must be a PDF",
            ),  # a renamed executable
            ("report.docx", b"\x7fELF\x02\x01\x01\x00", "must be a PDF"),
            ("sheet.xlsx", None, "must be a PDF"),  # a zip that is not a Word or ODT document
            ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", "must be a PDF"),
            ("empty.txt", b"", "empty"),
            ("macro.docx", "docm", "must be a PDF"),  # a macro-enabled Word file
        ],
    )
    def test_wrong_types_are_refused(self, panel_world, name, content, message):
        if content == "docm":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("[Content_Types].xml", "<Types/>")
                archive.writestr("word/document.xml", "<w:document/>")
                archive.writestr("word/vbaProject.bin", b"\x00macro")
            content = buffer.getvalue()
        if content is None:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("xl/workbook.xml", "<workbook/>")
            content = buffer.getvalue()
        booking = booked(panel_world)
        with pytest.raises(PanelError, match=message):
            panel_paper_add(
                booking=booking,
                title="Report",
                upload=SimpleUploadedFile(name, content),
                by=panel_world["admin"],
            )
        assert booking.papers.count() == 0

    @override_settings(PANEL_PAPER_MAX_BYTES=1024 * 1024)
    def test_an_oversized_paper_is_refused(self, panel_world):
        booking = booked(panel_world)
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
        with pytest.raises(PanelError, match="smaller than 1 MB"):
            panel_paper_add(booking=booking, title="Big", upload=big, by=panel_world["admin"])

    def test_papers_are_released_three_working_days_before(self, panel_world):
        """Session on a Monday: papers go out on the Wednesday before, once, to the invitees."""
        session_day = date(2026, 12, 14)  # a Monday
        with time_machine.travel(
            timezone.make_aware(timezone.datetime(2026, 12, 1, 9, 0)), tick=False
        ):
            session = a_session(
                panel_world, starts_at=timezone.make_aware(timezone.datetime(2026, 12, 14, 10, 0))
            )
            booking = panel_booking_create(
                slot=session.slots.first(),
                triage_record=panel_world["record"],
                by=panel_world["admin"],
            )
            with TestSessionChanges._Capture():
                panel_invitations_send(booking=booking, by=panel_world["admin"])
        assert session_day.weekday() == 0
        mail.outbox.clear()
        priya = panel_world["priya"]
        with time_machine.travel(
            timezone.make_aware(timezone.datetime(2026, 12, 8, 9, 0)), tick=False
        ):
            assert panel_papers_release() == 0
            assert not papers_open_to(priya, booking)
        with (
            time_machine.travel(
                timezone.make_aware(timezone.datetime(2026, 12, 9, 7, 0)), tick=False
            ),
            TestSessionChanges._Capture(),
        ):
            assert panel_papers_release() == 1
            assert panel_papers_release() == 0
        assert all(len(m.to) == 1 for m in mail.outbox)  # one email each (issue 21)
        (message,) = [m for m in mail.outbox if m.to == ["priya.hughes@example.com"]]
        assert message.subject == "Complex Cases panel: papers ready"
        booking.refresh_from_db()
        assert papers_open_to(priya, booking)


# Minutes and actions -------------------------------------------------------------------------------


def content(**changes):
    return {
        "introductions": "Chair welcomed members.",
        "mappa_reminder_given": True,
        "case_overview": "PP presented the case.",
        "questions_and_reflections": "Members asked about housing.",
        "member_support": "Head of PDU to escalate AP referral.",
        "chair_summary": "Three actions agreed.",
        "final_questions": "None.",
        **changes,
    }


class TestMinutes:
    def test_minutes_cannot_be_recorded_before_the_panel(self, panel_world):
        booking = booked(panel_world)
        with pytest.raises(PanelError, match="before the panel has started"):
            panel_minutes_save(
                booking=booking, content=content(), attendance={}, by=panel_world["admin"]
            )

    def test_finalising_needs_attendance_and_sends_links_only(self, panel_world):
        booking = held(booked(panel_world))
        minutes = panel_minutes_save(
            booking=booking, content=content(), attendance={}, by=panel_world["admin"]
        )
        with pytest.raises(PanelError, match="attendance"):
            panel_minutes_finalise(booking=booking, by=panel_world["admin"])
        everyone = {i.pk: "attended" for i in booking.invitees.all()}
        panel_minutes_save(
            booking=booking, content=content(), attendance=everyone, by=panel_world["admin"]
        )
        mail.outbox.clear()
        with TestSessionChanges._Capture():
            minutes = panel_minutes_finalise(booking=booking, by=panel_world["admin"])
        assert minutes.status == "final"
        assert minutes.version == 1
        booking.refresh_from_db()
        assert booking.status == PanelBooking.Status.HEARD
        (follow_up_email,) = [m for m in mail.outbox if "follow-up" in m.subject]
        assert follow_up_email.subject == "Complex Cases: follow-up check-in assigned to you"
        assert follow_up_email.to == ["quinn@example.com"]  # the QDO invited to the panel
        minutes_emails = [m for m in mail.outbox if "follow-up" not in m.subject]
        assert sorted(m.to for m in minutes_emails) == [  # one each (issue 21)
            ["nadia.price@example.com"],
            ["priya.hughes@example.com"],
            ["sam.okafor@example.com"],
        ]
        message = minutes_emails[0]
        assert "Adams" not in message.body
        assert "A000001" not in message.body
        assert f"/panel/cases/{booking.pk}/minutes/" in message.body

    def test_a_change_after_finalising_is_a_new_version_with_who_and_why(self, panel_world):
        booking = held(booked(panel_world))
        everyone = {i.pk: "attended" for i in booking.invitees.all()}
        panel_minutes_save(
            booking=booking, content=content(), attendance=everyone, by=panel_world["admin"]
        )
        panel_minutes_finalise(booking=booking, by=panel_world["admin"])
        with pytest.raises(PanelError, match="why"):
            panel_minutes_save(
                booking=booking,
                content=content(chair_summary="Four actions."),
                attendance={},
                by=panel_world["manager"],
            )
        minutes = panel_minutes_save(
            booking=booking,
            content=content(chair_summary="Four actions agreed."),
            attendance={},
            by=panel_world["manager"],
            reason="Fourth action missed",
        )
        assert minutes.version == 2
        assert minutes.status == "final"
        first, second = PanelMinutesVersion.objects.filter(minutes=minutes).order_by("number")
        assert first.content["chair_summary"] == "Three actions agreed."
        assert (second.content["chair_summary"], second.reason, second.finalised_by) == (
            "Four actions agreed.",
            "Fourth action missed",
            panel_world["manager"],
        )

    def test_a_stale_draft_is_refused(self, panel_world):
        booking = held(booked(panel_world))
        minutes = panel_minutes_save(
            booking=booking, content=content(), attendance={}, by=panel_world["admin"]
        )
        opened = minutes.updated_at.isoformat()
        panel_minutes_save(
            booking=booking,
            content=content(case_overview="Edited"),
            attendance={},
            by=panel_world["manager"],
            version=opened,
        )
        with pytest.raises(PanelError, match="Someone else changed"):
            panel_minutes_save(
                booking=booking,
                content=content(case_overview="Mine"),
                attendance={},
                by=panel_world["admin"],
                version=opened,
            )


class TestActions:
    def test_several_actions_with_a_staff_owner_and_an_external_one(self, panel_world):
        booking = held(booked(panel_world))
        agreed = timezone.localdate(booking.slot.starts_at)
        actions = panel_actions_add(
            booking=booking,
            actions=[
                ActionDraft(
                    "Escalate AP referral",
                    agreed + timedelta(days=14),
                    owner=panel_world["head_of_pdu"],
                ),
                ActionDraft(
                    "Share CMHT assessment",
                    agreed + timedelta(days=21),
                    owner_name="Mina Shah",
                    chaser=panel_world["qdo"],
                ),
            ],
            by=panel_world["admin"],
        )
        assert [a.owner_display for a in actions] == ["Nadia Price", "Mina Shah"]
        assert PanelAction.objects.filter(person=panel_world["listed"], status="open").count() == 2

    def test_due_date_must_be_after_the_panel(self, panel_world):
        booking = held(booked(panel_world))
        agreed = timezone.localdate(booking.slot.starts_at)
        with pytest.raises(PanelError, match="after the panel"):
            panel_actions_add(
                booking=booking,
                actions=[ActionDraft("x", agreed, owner=panel_world["priya"])],
                by=panel_world["admin"],
            )
        assert PanelAction.objects.count() == 0

    def test_an_external_owner_needs_a_chaser(self, panel_world):
        booking = held(booked(panel_world))
        with pytest.raises(PanelError, match="chases"):
            panel_actions_add(
                booking=booking,
                actions=[ActionDraft("x", date(2099, 1, 1), owner_name="Someone")],
                by=panel_world["admin"],
            )
