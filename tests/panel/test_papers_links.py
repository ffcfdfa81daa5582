"""Papers for invitees outside the service (issue 21, ADR 0045): one email per invitee, and a
personal link for each invitee who cannot sign in, opened with the address it was sent to and
a code emailed there, logged as a disclosure on every download, and stopped by the team."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from panel.models import PapersLink, PapersLinkCode
from panel.services import (
    panel_booking_cancel,
    panel_deputy_nominate,
    panel_invitations_send,
    panel_invitee_add,
    panel_invitee_remove,
    panel_paper_add,
    panel_papers_release,
    panel_session_cancel,
    panel_session_move,
)
from panel.services.papers_links import CODE_TRIES
from tests.auth import sign_in_verified
from tests.html import buttons, error_summary, h1, parse, table_rows
from tests.panel.test_services import booked, ics_of

pytestmark = pytest.mark.django_db

GUEST = "dee.cole@council.example"
LINK = re.compile(r"http://[^/\s]+(/papers/([A-Za-z0-9_-]+)/)")


def captured():
    """Run on_commit callbacks (the emails) inside the test's transaction."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def invited(panel_world):
    """A booked case with a council invitee and a paper, invitations sent."""
    booking = booked(panel_world)
    panel_invitee_add(
        booking=booking,
        role=panel_world["roles"]["adult_social_care"],
        name="Dee Cole",
        organisation="Example County Council",
        email=GUEST,
        by=panel_world["admin"],
    )
    panel_paper_add(
        booking=booking,
        title="Psychology report",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.7\nsynthetic\n"),
        by=panel_world["admin"],
    )
    mail.outbox.clear()
    with captured():
        panel_invitations_send(booking=booking, by=panel_world["admin"])
    booking.refresh_from_db()
    return booking


def emails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def guest_path() -> str:
    (invitation,) = emails_to(GUEST)
    return LINK.search(invitation.body).group(1)


def release(booking):
    session = booking.slot.session
    session.papers_released_at = timezone.now()
    session.save(update_fields=["papers_released_at"])


def confirm(client, path, address=GUEST) -> str:
    """Type the address, read the code from the email it was sent to, enter it."""
    mail.outbox.clear()
    with captured():
        response = client.post(path, {"email": address})
    assert response.status_code == 302
    (code_email,) = emails_to(GUEST)
    code = re.search(r"\b(\d{6})\b", code_email.body).group(1)
    with captured():
        response = client.post(f"{path}code/", {"code": code})
    assert response["Location"] == f"{path}files/"
    return code


class TestOneEmailEach:
    def test_each_invitee_gets_their_own_email_and_calendar_entry(self, invited):
        addresses = [m.to for m in mail.outbox]
        assert all(len(to) == 1 for to in addresses), addresses
        flat = [to[0] for to in addresses]
        assert len(flat) == len(set(flat))
        assert {"priya.hughes@example.com", "olu.bakare@nhs.example", GUEST} <= set(flat)
        for message in mail.outbox:
            (event,) = ics_of(message).walk("VEVENT")
            attendees = event.get("attendee")
            attendees = attendees if isinstance(attendees, list) else [attendees]
            assert [str(a).removeprefix("mailto:") for a in attendees] == message.to
            others = set(flat) - set(message.to)
            assert not any(other in message.body for other in others)

    def test_each_email_is_a_disclosure_to_its_one_recipient(self, invited):
        rows = AccessLogEntry.objects.filter(
            action="disclosure", record_type="panel invitation", record_id=str(invited.pk)
        )
        assert sorted(rows.values_list("recipient", flat=True)) == sorted(
            m.to[0] for m in mail.outbox
        )

    def test_papers_ready_goes_to_each_on_their_own_and_points_outsiders_to_their_link(
        self, invited
    ):
        mail.outbox.clear()
        with captured(), time_machine.travel(invited.slot.starts_at - timedelta(days=1)):
            panel_papers_release()
        assert all(len(m.to) == 1 for m in mail.outbox)
        (outsider,) = emails_to(GUEST)
        assert "/panel/" not in outsider.body
        assert "link in your invitation email" in outsider.body
        (staff,) = emails_to("priya.hughes@example.com")
        assert reverse("panel:booking", args=[invited.pk]) in staff.body


class TestTheLinkInTheInvitation:
    def test_only_outsiders_get_a_link_and_only_its_hash_is_kept(self, invited):
        path = guest_path()
        token = LINK.search(emails_to(GUEST)[0].body).group(2)
        assert len(token) >= 40
        (link,) = PapersLink.objects.filter(email=GUEST)
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(PapersLink.objects.filter(email=GUEST).values().get())
        assert not LINK.search(emails_to("priya.hughes@example.com")[0].body)
        # Olu Bakare (NHS, no account) gets a link of their own too.
        assert LINK.search(emails_to("olu.bakare@nhs.example")[0].body).group(1) != path
        assert "until the end of" in emails_to(GUEST)[0].body

    def test_the_whole_way_to_a_download_is_logged_as_a_disclosure(self, invited):
        client = Client()
        path = guest_path()
        response = client.get(path)
        assert response.status_code == 200
        assert h1(response) == "Confirm your email address"
        assert "no-store" in response["Cache-Control"]
        assert "Adams" not in response.content.decode()
        confirm(client, path)
        response = client.get(f"{path}files/")
        assert h1(response) == "Papers for the panel"
        assert "not ready yet" in parse(response).main.get_text()

        release(invited)
        response = client.get(f"{path}files/")
        (paper,) = parse(response).select("main ul.govuk-list a")
        assert paper.get_text(strip=True) == "Psychology report"
        before = AccessLogEntry.objects.count()
        download = client.get(paper["href"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")
        assert download["Content-Disposition"].startswith("attachment;")
        assert "no-store" in download["Cache-Control"]
        (entry,) = AccessLogEntry.objects.order_by("-pk")[: AccessLogEntry.objects.count() - before]
        assert (entry.action, entry.record_type, entry.recipient) == (
            "disclosure",
            "panel paper",
            GUEST,
        )
        assert entry.user is None
        assert entry.person_crn == invited.person.crn
        client.get(paper["href"])
        link = PapersLink.objects.get(email=GUEST)
        assert link.downloads == 2
        assert (
            AccessLogEntry.objects.filter(record_type="panel paper", recipient=GUEST).count() == 2
        )

    def test_a_wrong_address_sends_no_code_and_the_page_says_the_same(self, invited):
        client = Client()
        path = guest_path()
        mail.outbox.clear()
        with captured():
            wrong = client.post(path, {"email": "someone.else@example.com"})
        assert wrong["Location"] == f"{path}code/"
        assert mail.outbox == []
        page = client.get(f"{path}code/")
        assert h1(page) == "Check your email"
        assert "If someone.else@example.com is the address" in " ".join(
            parse(page).main.get_text().split()
        )
        assert client.get(f"{path}files/")["Location"] == path

    def test_the_code_is_short_lived_single_use_and_allows_few_tries(self, invited):
        client = Client()
        path = guest_path()
        with captured():
            client.post(path, {"email": GUEST.upper()})  # the address in any case
        (stored,) = PapersLinkCode.objects.all()
        code = re.search(r"\b(\d{6})\b", emails_to(GUEST)[-1].body).group(1)
        assert code not in stored.code_hash
        assert len(stored.code_hash) == 64
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(CODE_TRIES):
            response = client.post(f"{path}code/", {"code": wrong})
            assert error_summary(response) == [
                "The code is not right. Check the latest email we sent and enter its code"
            ]
        response = client.post(f"{path}code/", {"code": code})
        assert error_summary(response) == [
            "You have entered a wrong code too many times. Ask for a new code"
        ]
        with captured():
            client.post(path, {"email": GUEST})
        code = re.search(r"\b(\d{6})\b", emails_to(GUEST)[-1].body).group(1)
        with time_machine.travel(timezone.now() + timedelta(minutes=11)):
            response = client.post(f"{path}code/", {"code": code})
        assert error_summary(response) == ["The code has expired. Ask for a new code"]

    def test_a_code_opens_the_papers_in_that_browser_only(self, invited):
        path = guest_path()
        confirm(Client(), path)
        assert Client().get(f"{path}files/")["Location"] == path

    def test_too_many_codes_or_failures_are_refused_for_a_while(self, invited):
        client = Client()
        path = guest_path()
        with captured():
            for _ in range(5):
                assert client.post(path, {"email": GUEST}).status_code == 302
            limited = client.post(path, {"email": GUEST})
        assert limited.status_code == 429
        assert h1(limited) == "Too many tries"
        for _ in range(20):
            assert Client().get("/papers/not-a-real-token/").status_code == 404
        refused = Client().get(path)  # the same client address
        assert refused.status_code == 429
        assert "Wait 15 minutes" in parse(refused).main.get_text()


class TestLinksThatDoNotWork:
    def not_working(self, path):
        response = Client().get(path)
        assert response.status_code == 404
        assert h1(response) == "This link does not work"
        return parse(response).main.get_text()

    def test_every_kind_of_dead_link_gets_the_same_page(self, invited, panel_world):
        path = guest_path()
        unknown = self.not_working("/papers/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")
        with time_machine.travel(invited.slot.starts_at + timedelta(days=1)):
            assert self.not_working(path) == unknown
            assert self.not_working(f"{path}files/") == unknown
        guest = invited.invitees.get(email=GUEST)
        with captured():
            panel_invitee_remove(invitee=guest, by=panel_world["admin"])
        assert self.not_working(path) == unknown
        assert PapersLink.objects.get(email=GUEST).revoked_reason == "No longer invited"

    def test_cancelling_the_booking_stops_every_link(self, invited, panel_world):
        path = guest_path()
        with captured():
            panel_booking_cancel(booking=invited, reason="Not needed", by=panel_world["admin"])
        self.not_working(path)
        assert not PapersLink.objects.filter(revoked_at__isnull=True).exists()

    def test_a_confirmed_browser_loses_the_papers_when_the_link_stops(self, invited, panel_world):
        client = Client()
        path = guest_path()
        confirm(client, path)
        release(invited)
        PapersLink.objects.filter(email=GUEST).update(revoked_at=timezone.now())
        assert client.get(f"{path}files/").status_code == 404
        paper = invited.papers.get()
        assert client.get(f"{path}files/{paper.pk}/").status_code == 404


class TestTheTeamStopsOrRenewsALink:
    def test_the_case_page_lists_links_and_stops_one(self, invited, panel_world):
        path = guest_path()
        team = sign_in_verified(Client(), panel_world["admin"])
        page = team.get(reverse("panel:booking", args=[invited.pk]))
        rows = {row[0]: row for row in table_rows(page, "Links to the papers")}
        guest_row = rows[f"Dee Cole {GUEST}"]
        assert guest_row[3] == "Works"
        assert f"Stop this link sent to {GUEST}" in buttons(page)
        link = PapersLink.objects.get(email=GUEST)
        response = team.post(reverse("panel:papers-link-revoke", args=[invited.pk, link.pk]))
        assert response["Location"] == reverse("panel:booking", args=[invited.pk])
        link.refresh_from_db()
        assert link.revoked_by == panel_world["admin"]
        assert AccessLogEntry.objects.filter(
            action="alteration", record_type="panel papers link", user=panel_world["admin"]
        ).exists()
        TestLinksThatDoNotWork().not_working(path)
        page = team.get(reverse("panel:booking", args=[invited.pk]))
        rows = {row[0]: row for row in table_rows(page, "Links to the papers")}
        assert rows[f"Dee Cole {GUEST}"][3] == "Stopped revoked by the Complex Cases team"

    def test_a_new_link_replaces_the_old_one(self, invited, panel_world):
        old = guest_path()
        team = sign_in_verified(Client(), panel_world["admin"])
        link = PapersLink.objects.get(email=GUEST)
        mail.outbox.clear()
        with captured():
            team.post(reverse("panel:papers-link-renew", args=[invited.pk, link.pk]))
        new = guest_path()
        assert new != old
        assert Client().get(old).status_code == 404
        assert Client().get(new).status_code == 200

    def test_people_outside_the_team_see_no_links_and_cannot_stop_one(self, invited, panel_world):
        link = PapersLink.objects.get(email=GUEST)
        practitioner = sign_in_verified(Client(), panel_world["priya"])
        page = practitioner.get(reverse("panel:booking", args=[invited.pk]))
        assert page.status_code == 200
        assert GUEST not in page.content.decode()
        url = reverse("panel:papers-link-revoke", args=[invited.pk, link.pk])
        assert practitioner.post(url).status_code == 403
        link.refresh_from_db()
        assert link.revoked_at is None


class TestChangesReachOutsidersInTheirOwnWords:
    def test_a_move_and_a_cancellation_keep_outsiders_out_of_the_service(
        self, invited, panel_world
    ):
        mail.outbox.clear()
        with captured():
            panel_session_move(
                session=panel_world["session"],
                starts_at=panel_world["session"].starts_at + timedelta(days=1),
                reason="Chair on leave",
                by=panel_world["admin"],
            )
        (moved,) = emails_to(GUEST)
        assert "/panel/" not in moved.body
        assert PapersLink.objects.get(email=GUEST).revoked_at is None
        mail.outbox.clear()
        with captured():
            panel_session_cancel(
                session=panel_world["session"], reason="Chair ill", by=panel_world["admin"]
            )
        (cancelled,) = emails_to(GUEST)
        assert str(ics_of(cancelled)["method"]) == "CANCEL"
        assert "/panel/" not in cancelled.body
        assert PapersLink.objects.get(email=GUEST).revoked_at is not None

    def test_an_outside_deputy_gets_a_link_and_the_one_they_replace_loses_theirs(
        self, invited, panel_world
    ):
        chair = invited.invitees.get(user=panel_world["chair"])
        with captured():
            panel_deputy_nominate(
                invitee=chair,
                deputy_name="Ray Lowe",
                deputy_email="ray.lowe@nhs.example",
                by=panel_world["chair"],
            )
        (invitation,) = emails_to("ray.lowe@nhs.example")
        assert LINK.search(invitation.body)
        with captured():
            panel_deputy_nominate(
                invitee=chair, deputy_user=panel_world["psychologist"], by=panel_world["chair"]
            )
        link = PapersLink.objects.get(email="ray.lowe@nhs.example")
        assert link.revoked_at is not None


class TestSecurity:
    def test_the_pages_are_not_cached_framed_or_logged_with_their_token(self, invited, caplog):
        path = guest_path()
        token = path.split("/")[2]
        with caplog.at_level("INFO", logger="complexcases.request"):
            response = Client().get(path)
        assert "no-store" in response["Cache-Control"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert "Content-Security-Policy" in response
        assert caplog.records
        assert token not in caplog.text

    def test_a_form_posted_without_the_csrf_token_is_refused(self, invited):
        client = Client(enforce_csrf_checks=True)
        assert client.post(guest_path(), {"email": GUEST}).status_code == 403
        assert not PapersLinkCode.objects.exists()

    def test_no_signed_in_role_opens_a_link_without_the_code(self, invited, panel_world):
        path = guest_path()
        for user in (panel_world["admin"], panel_world["priya"], panel_world["chair"]):
            client = sign_in_verified(Client(), user)
            assert client.get(f"{path}files/")["Location"] == path
