"""Panel pages: what each role sees, the state errors, and what lands in the database.

Anonymous, wrong-role and other-team refusals for every panel URL are in
tests/test_access_matrix.py; here are the rest of the ladder and the happy paths."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from panel.models import PanelAction, PanelBooking, PanelInvitee, PanelMinutes, PanelPaper
from panel.services import (
    panel_booking_create,
    panel_invitations_send,
    panel_minutes_finalise,
    panel_minutes_save,
    panel_paper_add,
)
from tests.html import buttons, error_summary, h1, parse, table_rows
from tests.panel_fixtures import held

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def booked(world):
    return panel_booking_create(
        slot=world["session"].slots.first(), triage_record=world["record"], by=world["admin"]
    )


def heard(world):
    booking = held(booked(world))
    everyone = {i.pk: "attended" for i in booking.invitees.all()}
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Two actions agreed.", "case_overview": "Presented by Priya."},
        attendance=everyone,
        by=world["admin"],
    )
    panel_minutes_finalise(booking=booking, by=world["admin"])
    booking.refresh_from_db()
    return booking


class TestSessions:
    def test_the_team_sees_sessions_with_booked_counts_and_no_names(self, panel_world):
        booked(panel_world)
        response = as_user(panel_world["admin"]).get(reverse("panel:sessions"))
        assert h1(response) == "Panel sessions"
        (row,) = table_rows(response, "Upcoming panel sessions")
        assert row[2:] == ["East of England", "1 of 4 slots", "Scheduled"]
        assert "Adams" not in response.content.decode()

    def test_a_panel_member_sees_only_sessions_they_are_invited_to(self, panel_world):
        client = as_user(panel_world["chair"])
        text = parse(client.get(reverse("panel:sessions"))).get_text(" ", strip=True)
        assert "There are no upcoming panel sessions you are invited to." in text
        booked(panel_world)
        (row,) = table_rows(client.get(reverse("panel:sessions")), "Upcoming panel sessions")
        assert row[3] == "1 of 4 slots"

    def test_the_agenda_shows_slot_times_in_govuk_style_and_logs_the_person(self, panel_world):
        booking = booked(panel_world)
        response = as_user(panel_world["chair"]).get(
            reverse("panel:session", args=[booking.slot.session_id])
        )
        rows = table_rows(response, "Slots")
        assert rows[0] == ["10am to 10:45am", "Adams, Jo (A000001)", "Booked"]
        assert rows[1] == ["10:45am to 11:30am", "Free", "Free"]
        assert (
            AccessLogEntry.objects.filter(person_crn="A000001", record_type="panel session").count()
            == 1
        )

    def test_an_ad_hoc_session_with_an_error_keeps_what_was_typed(self, panel_world):
        client = as_user(panel_world["admin"])
        data = {
            "region": panel_world["listed"].pdu.region.pk,
            "meeting_date_0": "1",
            "meeting_date_1": "1",
            "meeting_date_2": "2020",
            "meeting_time": "10am",
            "slot_count": "3",
            "slot_minutes": "45",
        }
        response = client.post(reverse("panel:session-create"), data)
        assert error_summary(response) == ["The meeting must be in the future"]
        assert parse(response).find("input", {"name": "slot_count"})["value"] == "3"
        day = timezone.localdate() + timedelta(days=30)
        data |= {"meeting_date_0": day.day, "meeting_date_1": day.month, "meeting_date_2": day.year}
        response = client.post(reverse("panel:session-create"), data)
        assert response.status_code == 302
        session = panel_world["session"].__class__.objects.latest("pk")
        assert session.slots.count() == 3

    def test_a_recurring_panel_is_set_up_from_the_form(self, panel_world):
        client = as_user(panel_world["manager"])
        response = client.post(
            reverse("panel:pattern-create"),
            {
                "region": panel_world["listed"].pdu.region.pk,
                "week": "1",
                "weekday": "0",
                "start_time": "10am",
                "slot_count": "4",
                "slot_minutes": "45",
                "months_ahead": "3",
            },
            follow=True,
        )
        assert "First Monday of each month, 10am, 4 45-minute slots" in response.content.decode()
        assert panel_world["session"].__class__.objects.filter(pattern__isnull=False).count() >= 3

    def test_cancelling_needs_a_reason_and_then_returns_cases_to_the_queue(self, panel_world):
        booking = booked(panel_world)
        client = as_user(panel_world["admin"])
        url = reverse("panel:session-cancel", args=[booking.slot.session_id])
        assert error_summary(client.post(url, {"reason": ""})) == ["Enter a reason"]
        response = client.post(url, {"reason": "Chair unavailable"})
        assert response.status_code == 302
        booking.refresh_from_db()
        assert booking.status == PanelBooking.Status.CANCELLED
        rows = table_rows(client.get(reverse("panel:ready")), "Cases ready for panel")
        assert rows[0][0].startswith("Adams, Jo")


class TestBooking:
    def test_book_a_referred_case_into_a_slot(self, panel_world):
        client = as_user(panel_world["admin"])
        (row,) = table_rows(client.get(reverse("panel:ready")), "Cases ready for panel")
        assert row[3] == "Help securing an approved premises place."
        url = reverse("panel:book", args=[panel_world["record"].pk])
        assert error_summary(client.post(url, {})) == ["Select a slot"]
        slot = panel_world["session"].slots.first()
        response = client.post(url, {"slot": slot.pk})
        booking = PanelBooking.objects.get()
        assert response["Location"] == reverse("panel:invitees", args=[booking.pk])
        assert booking.slot == slot
        assert booking.booked_by == panel_world["admin"]

    def test_a_slot_taken_meanwhile_is_refused_with_a_clear_message(self, panel_world):
        from tests.panel_fixtures import referred

        other = referred(panel_world, "unlisted")
        slot = panel_world["session"].slots.first()
        client = as_user(panel_world["admin"])
        page = client.get(reverse("panel:book", args=[other.pk]))  # the form lists the slot as free
        assert str(slot.pk) in page.content.decode()
        booked(panel_world)
        response = client.post(reverse("panel:book", args=[other.pk]), {"slot": slot.pk})
        assert error_summary(response) == ["That slot is no longer free. Select another slot"]
        assert PanelBooking.objects.count() == 1

    def test_the_case_page_shows_mappa_and_the_ask_and_logs_one_consultation(self, panel_world):
        booking = booked(panel_world)
        before = AccessLogEntry.objects.filter(person_crn="A000001").count()
        response = as_user(panel_world["priya"]).get(reverse("panel:booking", args=[booking.pk]))
        text = parse(response).get_text(" ", strip=True)
        assert "MAPPA level 2, category 1" in text
        assert "does not replace MAPPA" in text
        assert "Help securing an approved premises place." in text
        assert "The papers are released to invitees on" in text
        assert AccessLogEntry.objects.filter(person_crn="A000001").count() == before + 1

    def test_cancelled_booking_cannot_be_cancelled_again(self, panel_world):
        booking = booked(panel_world)
        client = as_user(panel_world["admin"])
        url = reverse("panel:booking-cancel", args=[booking.pk])
        client.post(url, {"reason": "Person recalled"})
        response = client.post(url, {"reason": "Again"})
        assert error_summary(response) == ["You cannot cancel the booking: this case is cancelled"]


class TestInvitees:
    def test_adjust_the_list_then_send(self, panel_world):
        booking = booked(panel_world)
        client = as_user(panel_world["admin"])
        url = reverse("panel:invitees", args=[booking.pk])
        response = client.get(url)
        names = [row[0] for row in table_rows(response, "Invitation list")]
        assert "Olu Bakare, NHS OPD service" in names
        assert "Priya Hughes" in names
        text = parse(response).get_text(" ", strip=True)
        assert "Custody psychologist (core member)" in text  # a seat no one holds in this region
        # Add someone outside the service; a mistake keeps what was typed.
        bad = {
            "external-name": "Dee Cole",
            "external-organisation": "HMP Example",
            "external-email": "dee",
            "external-role": panel_world["roles"]["prison_representative"].pk,
        }
        response = client.post(url, bad)
        assert error_summary(response) == [
            "Enter an email address in the correct format, like name@example.com"
        ]
        assert parse(response).find("input", {"name": "external-name"})["value"] == "Dee Cole"
        client.post(url, bad | {"external-email": "dee.cole@justice.example"})
        assert PanelInvitee.objects.filter(booking=booking, name="Dee Cole").exists()
        # Remove the QDO.
        qdo = booking.invitees.get(user=panel_world["qdo"])
        client.post(reverse("panel:invitee-remove", args=[booking.pk, qdo.pk]))
        qdo.refresh_from_db()
        assert qdo.removed_at is not None
        mail.outbox.clear()
        with self.on_commit():
            response = client.post(
                reverse("panel:invitations-send", args=[booking.pk]), follow=True
            )
        waiting = booking.invitees.filter(removed_at__isnull=True)
        assert f"Invitations sent to {waiting.count()} people" in response.content.decode()
        assert len(mail.outbox) == waiting.count()  # one email each (issue 21)
        recipients = [m.to for m in mail.outbox]
        assert ["dee.cole@justice.example"] in recipients
        assert ["quinn@example.com"] not in recipients

    def on_commit(self):
        from django.test import TestCase

        return TestCase.captureOnCommitCallbacks(execute=True)

    def test_a_member_nominates_a_deputy_for_their_own_seat_only(self, panel_world):
        booking = booked(panel_world)
        chair = booking.invitees.get(user=panel_world["chair"])
        url = reverse("panel:deputy", args=[booking.pk, chair.pk])
        # The practitioner can see the case but not nominate for the chair's seat.
        response = as_user(panel_world["priya"]).get(url)
        assert response.status_code == 302
        client = as_user(panel_world["chair"])
        response = client.post(url, {"deputy_name": "Pat Lee"})
        assert error_summary(response) == ["Enter the deputy's email address"]
        client.post(url, {"deputy_name": "Pat Lee", "deputy_email": "pat.lee@example.com"})
        chair.refresh_from_db()
        assert (chair.deputy_name, chair.deputy_email) == ("Pat Lee", "pat.lee@example.com")


class TestPapers:
    def test_upload_checks_the_content_not_the_name(self, panel_world):
        booking = booked(panel_world)
        client = as_user(panel_world["admin"])
        url = reverse("panel:paper-upload", args=[booking.pk])
        exe = SimpleUploadedFile(
            "report.pdf", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf"
        )
        response = client.post(url, {"title": "Report", "file": exe})
        assert error_summary(response) == [
            "The paper must be a PDF, a Word document (.docx), an OpenDocument text file (.odt) or plain text"
        ]
        assert parse(response).find("input", {"name": "title"})["value"] == "Report"
        client.post(
            url, {"title": "Psychology report", "file": SimpleUploadedFile("x.txt", b"%PDF-1.4\n")}
        )
        paper = PanelPaper.objects.get()
        assert paper.kind == "pdf"

    def test_papers_hidden_from_invitees_until_released_and_from_non_invitees_always(
        self, panel_world
    ):
        booking = booked(panel_world)
        paper = panel_paper_add(
            booking=booking,
            title="Report",
            upload=SimpleUploadedFile("r.pdf", b"%PDF-1.7\nx"),
            by=panel_world["admin"],
        )
        url = reverse("panel:paper", args=[booking.pk, paper.pk])
        pack = reverse("panel:pack", args=[booking.pk])
        priya = as_user(panel_world["priya"])  # invited, presenting the case
        assert priya.get(url).status_code == 404
        assert priya.get(pack).status_code == 404
        session = booking.slot.session
        session.papers_released_at = timezone.now()
        session.save()
        response = priya.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.7\nx"
        assert (
            AccessLogEntry.objects.filter(
                record_type="panel paper", action="consultation", user=panel_world["priya"]
            ).count()
            == 1
        )
        # A head of service for the PDU may see the case page, but is not invited: no papers.
        from complexcases.organisation.roles import Role
        from tests.factories import UserFactory

        head = as_user(UserFactory(pdu=panel_world["listed"].pdu, roles=[Role.HEAD_OF_SERVICE]))
        assert head.get(reverse("panel:booking", args=[booking.pk])).status_code == 200
        assert head.get(url).status_code == 404
        assert head.get(pack).status_code == 404

    def test_the_case_summary_pack(self, panel_world):
        booking = booked(panel_world)
        response = as_user(panel_world["admin"]).get(reverse("panel:pack", args=[booking.pk]))
        text = parse(response).get_text(" ", strip=True)
        assert h1(response) == "Case summary pack: Adams, Jo (A000001)"
        assert "No approved premises place" in text
        assert "Escalate the AP referral." in text
        assert "This person has not been to panel before." in text
        rows = table_rows(response, "The eight criteria and the evidence for each")
        assert len(rows) == 8
        assert rows[0][1] == "Met"
        assert rows[0][2] == "RoSH level — high"  # words, not the extract's column names


class TestMinutesAndActions:
    def test_minutes_are_offered_only_once_the_panel_has_started(self, panel_world):
        booking = booked(panel_world)
        client = as_user(panel_world["admin"])
        case = reverse("panel:booking", args=[booking.pk])
        minutes = reverse("panel:minutes", args=[booking.pk])
        assert "Record minutes" not in buttons(client.get(case))
        assert "Edit minutes" not in buttons(client.get(minutes))
        held(booking)
        assert "Record minutes" in buttons(client.get(case))
        assert "Edit minutes" in buttons(client.get(minutes))

    def test_minutes_before_the_panel_are_refused(self, panel_world):
        booking = booked(panel_world)
        client = as_user(panel_world["admin"])
        response = client.post(
            reverse("panel:minutes-edit", args=[booking.pk]), {"chair_summary": "x"}
        )
        assert error_summary(response) == ["You cannot record minutes before the panel has started"]
        assert not PanelMinutes.objects.exists()

    def test_record_attendance_and_minutes_then_finalise(self, panel_world):
        booking = held(booked(panel_world))
        client = as_user(panel_world["admin"])
        url = reverse("panel:minutes-edit", args=[booking.pk])
        form = parse(client.get(url))
        labels = [label.get_text(strip=True) for label in form.select("main form label")]
        assert labels[0] == "Everyone invited attended"
        assert labels[1].startswith("Helen Ortiz")
        data = {f"attendance_{i.pk}": "attended" for i in booking.invitees.all()}
        data |= {
            "introductions": "Welcome.",
            "mappa_reminder_given": "on",
            "case_overview": "Presented.",
            "chair_summary": "Three actions.",
        }
        response = client.post(url, data)
        assert response.status_code == 302
        response = client.post(reverse("panel:minutes-finalise", args=[booking.pk]), follow=True)
        assert "Minutes finalised" in response.content.decode()
        minutes = PanelMinutes.objects.get()
        assert (minutes.status, minutes.version, minutes.mappa_reminder_given) == ("final", 1, True)
        # The practitioner reads the final minutes.
        text = parse(
            as_user(panel_world["priya"]).get(reverse("panel:minutes", args=[booking.pk]))
        ).get_text(" ", strip=True)
        assert "Three actions." in text
        assert "Final Version 1" in text

    def test_everyone_attended_then_the_exceptions(self, panel_world):
        """One tick for everyone, then only the apologies: the rest are recorded as attended."""
        booking = held(booked(panel_world))
        invitees = list(booking.invitees.order_by("pk"))
        client = as_user(panel_world["admin"])
        url = reverse("panel:minutes-edit", args=[booking.pk])
        data = {
            "everyone_attended": "on",
            f"attendance_{invitees[0].pk}": "apologies",
            "version": "new",
        }
        assert client.post(url, data).status_code == 302
        recorded = dict(booking.invitees.values_list("pk", "attendance"))
        assert recorded[invitees[0].pk] == "apologies"
        assert {recorded[i.pk] for i in invitees[1:]} == {"attended"}
        page = parse(client.get(url))
        assert (
            page.select_one(f"select[name=attendance_{invitees[1].pk}] option[selected]")["value"]
            == "attended"
        )

    def test_drafts_are_not_shown_outside_the_team(self, panel_world):
        booking = held(booked(panel_world))
        panel_minutes_save(
            booking=booking,
            content={"case_overview": "Draft words"},
            attendance={},
            by=panel_world["admin"],
        )
        text = (
            as_user(panel_world["priya"])
            .get(reverse("panel:minutes", args=[booking.pk]))
            .content.decode()
        )
        assert "Draft words" not in text
        assert "No minutes have been shared yet." in text

    def test_changing_final_minutes_needs_a_reason_and_keeps_versions(self, panel_world):
        booking = heard(panel_world)
        client = as_user(panel_world["manager"])
        url = reverse("panel:minutes-edit", args=[booking.pk])
        data = {
            "chair_summary": "Three actions agreed.",
            "version": PanelMinutes.objects.get().updated_at.isoformat(),
        }
        assert error_summary(client.post(url, data)) == ["Enter why the final minutes are changing"]
        client.post(url, data | {"reason": "Third action added"})
        response = client.get(reverse("panel:minutes-version", args=[booking.pk, 1]))
        text = parse(response).get_text(" ", strip=True)
        assert "This is an earlier version. The latest is version 2." in text
        assert "Two actions agreed." in text

    def test_a_stale_minutes_form_keeps_what_was_typed(self, panel_world):
        booking = held(booked(panel_world))
        minutes = panel_minutes_save(
            booking=booking,
            content={"case_overview": "First"},
            attendance={},
            by=panel_world["admin"],
        )
        opened = minutes.updated_at.isoformat()
        panel_minutes_save(
            booking=booking,
            content={"case_overview": "Second"},
            attendance={},
            by=panel_world["manager"],
        )
        response = as_user(panel_world["admin"]).post(
            reverse("panel:minutes-edit", args=[booking.pk]),
            {"case_overview": "Mine", "version": opened},
        )
        assert error_summary(response)[0].startswith("Someone else changed these minutes")
        assert (
            parse(response).find("textarea", {"name": "case_overview"}).get_text().strip() == "Mine"
        )
        assert PanelMinutes.objects.get().case_overview == "Second"

    def test_add_three_actions_with_add_another(self, panel_world):
        booking = held(booked(panel_world))
        client = as_user(panel_world["admin"])
        url = reverse("panel:actions-add", args=[booking.pk])
        due = timezone.localdate() + timedelta(days=14)

        def row(n, **fields):
            values = {
                "description": "",
                "owner": "",
                "owner_name": "",
                "chaser": "",
                "due_date_0": "",
                "due_date_1": "",
                "due_date_2": "",
                **fields,
            }
            return {f"form-{n}-{k}": v for k, v in values.items()}

        date_fields = {"due_date_0": due.day, "due_date_1": due.month, "due_date_2": due.year}
        data = {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "1",
            "form-MAX_NUM_FORMS": "20",
        }
        data |= row(
            0,
            description="Escalate AP referral",
            owner=panel_world["head_of_pdu"].pk,
            **date_fields,
        )
        response = client.post(url, data | {"add_another": "1"})
        assert (
            len(parse(response).select("fieldset legend")) >= 2
        )  # a second action row, first kept
        assert "Escalate AP referral" in response.content.decode()
        data["form-TOTAL_FORMS"] = "3"
        data |= row(
            1, description="Share CMHT assessment", owner_name="Mina Shah, CMHT", **date_fields
        )
        data |= row(2, description="Book POM liaison", owner=panel_world["priya"].pk, **date_fields)
        response = client.post(url, data | {"save": "1"})
        assert error_summary(response) == ["Choose who in the service chases this owner"]
        assert PanelAction.objects.count() == 0
        data |= row(
            1,
            description="Share CMHT assessment",
            owner_name="Mina Shah, CMHT",
            chaser=panel_world["qdo"].pk,
            **date_fields,
        )
        response = client.post(url, data | {"save": "1"}, follow=True)
        assert "3 actions recorded" in response.content.decode()
        rows = table_rows(response, "Actions agreed at this panel")
        assert [r[1].split(" Chased")[0] for r in rows] == [
            "Nadia Price",
            "Mina Shah, CMHT",
            "Priya Hughes",
        ]
        assert PanelAction.objects.filter(person=panel_world["listed"], status="open").count() == 3


def test_panel_events_on_the_person_timeline(panel_world):
    heard(panel_world)
    text = parse(
        as_user(panel_world["priya"]).get(reverse("people:person", args=["A000001"]))
    ).get_text(" ", strip=True)
    assert "Heard at panel" in text
    assert "Two actions agreed." in text


@pytest.mark.parametrize("name", ["panel:sessions", "panel:session"])
def test_pages_have_a_fixed_number_of_queries(panel_world, django_assert_max_num_queries, name):
    from tests.panel_fixtures import a_session, referred

    booking = booked(panel_world)
    client = as_user(panel_world["admin"])
    url = (
        reverse(name, args=[booking.slot.session_id]) if name == "panel:session" else reverse(name)
    )
    client.get(url)  # once-per-session work
    with django_assert_max_num_queries(14):
        client.get(url)
    for key in ("unlisted", "elsewhere"):
        panel_booking_create(
            slot=a_session(panel_world).slots.first(),
            triage_record=referred(panel_world, key),
            by=panel_world["admin"],
        )
    with django_assert_max_num_queries(14):
        client.get(url)


def test_the_case_page_has_a_fixed_number_of_queries(panel_world, django_assert_max_num_queries):
    booking = booked(panel_world)
    client = as_user(panel_world["admin"])
    url = reverse("panel:booking", args=[booking.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_invitations_send_twice_is_refused(panel_world):
    booking = booked(panel_world)
    panel_invitations_send(booking=booking, by=panel_world["admin"])
    response = as_user(panel_world["admin"]).post(
        reverse("panel:invitations-send", args=[booking.pk]), follow=True
    )
    assert "Everyone on the list has already been invited" in response.content.decode()
