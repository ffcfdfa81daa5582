"""Emails through GOV.UK Notify, against a stand-in on 127.0.0.1 that checks Notify's API contract.

The stand-in (tests/notify_standin.py) verifies the client's JWT (issuer and signature from the
API key, a fresh iat) and the request's shape, and answers as Notify does. The service's real
paths queue the emails; the send_email task runs in-process (eager), retries included.
"""

import logging
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from complexcases.core.email import email_queue
from complexcases.core.email_templates import EMAIL_TEMPLATES
from complexcases.core.models import AccessLogEntry, EmailDelivery
from tests.notify_standin import NotifyStandIn, notify_stand_in_serve
from tests.triage_fixtures import a_request, next_week_at_10

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def notify(settings):
    """Notify as the email backend, pointing at a running stand-in with every template created."""
    from complexcases.celery import app

    stand_in = NotifyStandIn()
    template_ids = {key: str(uuid.uuid4()) for key in EMAIL_TEMPLATES}
    stand_in.templates = {
        template_ids[key]: set(template.placeholders) for key, template in EMAIL_TEMPLATES.items()
    }
    server = notify_stand_in_serve(stand_in)
    settings.EMAIL_BACKEND = "complexcases.core.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = stand_in.api_key
    settings.NOTIFY_BASE_URL = stand_in.url
    settings.NOTIFY_TEMPLATE_IDS = template_ids
    app.conf.task_always_eager = True
    stand_in.template_ids = template_ids
    yield stand_in
    app.conf.task_always_eager = False
    server.shutdown()
    server.server_close()


def outcome_deliveries():
    """The rows of queue_email's email (the world's own changes queued emails of their own)."""
    return EmailDelivery.objects.filter(template="triage-outcome-recorded")


def queue_email(person, django_capture_on_commit_callbacks, *, to=("spo@example.com",)):
    """A real service's email: the triage outcome email for a person, queued on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            subject="Complex Cases: triage outcome recorded",
            body="The outcome has been recorded: https://service.example/triage/1/\n",
            to=list(to),
            person=person,
            record_type="triage record",
            record_id=1,
            template="triage-outcome-recorded",
            personalisation={
                "link": "https://service.example/triage/1/",
                "case_reference": "CC-2026-00001",
            },
        )


def test_a_request_is_sent_with_its_template_and_the_notify_id_kept_with_the_disclosure(
    notify, triage_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = a_request(triage_world)
    assert len(notify.sent) == 2  # the requester and their SPO, one Notify email each
    assert {sent["email_address"] for sent in notify.sent} == {
        "priya.hughes@example.com",
        "sam.okafor@example.com",
    }
    for sent in notify.sent:
        assert sent["template_id"] == notify.template_ids["triage-request-received"]
        assert sent["personalisation"] == {
            "link": f"http://127.0.0.1:8000/triage/{request.pk}/",
            "urgent": "no",
            "case_reference": request.case.reference,
        }
        assert sent["reference"] == "triage-request-received"
        for personal in ("Adams", "A000001", "Jo "):
            assert personal not in str(sent)
    disclosure = AccessLogEntry.objects.get(action="disclosure", record_type="triage request")
    deliveries = EmailDelivery.objects.filter(disclosure=disclosure)
    assert {(d.recipient, d.notify_id, d.status) for d in deliveries} == {
        (sent["email_address"], sent["id"], "sent") for sent in notify.sent
    }


def test_a_calendar_invitation_becomes_a_signed_expiring_link(
    notify, triage_world, django_capture_on_commit_callbacks, settings
):
    from triage.services import triage_meeting_schedule

    request = a_request(triage_world)
    notify.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        triage_meeting_schedule(
            request=request,
            starts_at=next_week_at_10(),
            duration_minutes=45,
            invitees=[(triage_world["priya"], "Practitioner"), (triage_world["spo"], "SPO")],
            external_invitees=[],
            by=triage_world["admin"],
        )
    [first, *_] = notify.sent
    assert first["template_id"] == notify.template_ids["triage-meeting-invite"]
    assert set(first["personalisation"]) == {"when", "link", "calendar_link", "case_reference"}
    assert first["personalisation"]["case_reference"] == request.case.reference
    path = first["personalisation"]["calendar_link"].removeprefix(settings.SITE_URL.rstrip("/"))
    response = Client().get(path)  # no sign-in: an invitee may be outside the service
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VCALENDAR" in response.content
    assert b"METHOD:REQUEST" in response.content
    assert Client().get(path[:-10] + "tampered.ics").status_code == 404
    settings.NOTIFY_FILE_RETENTION_WEEKS = 0  # an expired link is gone
    assert Client().get(path).status_code == 404


def test_a_400_is_recorded_as_failed_and_not_retried(
    notify, triage_world, django_capture_on_commit_callbacks, caplog
):
    # The operator's template in Notify asks for a placeholder the service does not send.
    template_id = notify.template_ids["triage-outcome-recorded"]
    notify.templates[template_id] = {"link", "case_reference", "outcome"}
    with caplog.at_level(logging.ERROR, logger="complexcases.core.tasks"):
        queue_email(triage_world["listed"], django_capture_on_commit_callbacks)
    assert len(notify.received) == 1  # not retried
    assert notify.sent == []
    [delivery] = outcome_deliveries()
    assert delivery.status == "failed"
    assert delivery.error == "Notify 400: Missing personalisation: outcome"
    assert delivery.disclosure == AccessLogEntry.objects.get(action="disclosure")
    assert "refused by the mail service" in caplog.text


@pytest.mark.parametrize("status", [429, 500])
def test_a_rate_limit_or_server_error_is_retried_then_sent_once(
    notify, status, triage_world, django_capture_on_commit_callbacks
):
    notify.fail_next(status)
    queue_email(triage_world["listed"], django_capture_on_commit_callbacks)
    assert len(notify.received) == 2
    [sent] = notify.sent
    [delivery] = outcome_deliveries()
    assert (delivery.status, delivery.notify_id) == ("sent", sent["id"])


def test_a_retry_does_not_send_again_to_recipients_already_reached(
    notify, triage_world, django_capture_on_commit_callbacks
):
    notify.fail_next(None, 500)  # the first recipient succeeds, the second fails once
    queue_email(
        triage_world["listed"],
        django_capture_on_commit_callbacks,
        to=("a@example.com", "b@example.com"),
    )
    assert [sent["email_address"] for sent in notify.sent] == ["a@example.com", "b@example.com"]
    assert sorted(outcome_deliveries().values_list("recipient", "status")) == [
        ("a@example.com", "sent"),
        ("b@example.com", "sent"),
    ]


def test_after_the_last_retry_the_email_is_recorded_as_failed(
    notify, triage_world, django_capture_on_commit_callbacks
):
    notify.fail_next(*[500] * 6)
    queue_email(triage_world["listed"], django_capture_on_commit_callbacks)
    assert len(notify.received) == 6  # the first try and five retries
    [delivery] = outcome_deliveries()
    assert delivery.status == "failed"
    assert delivery.error.startswith("Gave up after 5 retries")


def test_the_stand_in_refuses_a_token_signed_with_the_wrong_secret(
    notify, settings, triage_world, django_capture_on_commit_callbacks
):
    settings.NOTIFY_API_KEY = f"wrong-{notify.service_id}-{uuid.uuid4()}"
    queue_email(triage_world["listed"], django_capture_on_commit_callbacks)
    assert notify.received == []
    [delivery] = outcome_deliveries()
    assert delivery.error == "Notify 403: Invalid token: signature, api token not found"


def test_the_monthly_list_email_goes_through_notify_with_counts_and_no_names(
    notify, triage_world, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from complexcases.screening.models import MonthlyList
    from complexcases.screening.services import monthly_list_notify

    monthly_list = MonthlyList.objects.get(pdu__code="NORTHANTS")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queued = monthly_list_notify(monthly_list=monthly_list)
    assert queued == len(notify.sent) > 0
    personalisation = notify.sent[0]["personalisation"]
    assert personalisation["new"] == "1"
    assert set(personalisation) == set(EMAIL_TEMPLATES["monthly-list-ready"].placeholders)


def test_an_untemplated_or_mismatched_email_is_refused_at_once():
    from complexcases.core.email_templates import email_template_check

    with pytest.raises(ValueError, match="Unknown email template"):
        email_template_check("", {})
    with pytest.raises(ValueError, match="takes \\['case_reference', 'link'\\]"):
        email_template_check("panel-minutes-final", {"link": "x", "name": "Adams"})


def test_the_template_list_for_operators_matches_the_code():
    """docs/notify-templates.md names every template key with exactly its placeholders."""
    text = (ROOT / "docs" / "notify-templates.md").read_text()
    documented = {
        match["key"]: set(re.findall(r"\(\(([a-z_]+)\)\)", match["placeholders"]))
        for match in re.finditer(
            r"^\| `(?P<key>[a-z-]+)` \|[^|]*\|(?P<placeholders>[^|]*)\|", text, re.M
        )
    }
    assert documented == {key: set(t.placeholders) for key, t in EMAIL_TEMPLATES.items()}


def test_every_template_key_is_used_by_the_code():
    """No template an operator must create is dead, and no code uses a key that is not listed."""
    source = "\n".join(
        path.read_text()
        for folder in ("complexcases", "triage", "panel", "jcw")
        for path in (ROOT / folder).rglob("*.py")
    )
    used = set(re.findall(r'template="([a-z-]+)"', source))
    # template=f"panel-{kind}" uses the keys that are panel- and one more word, and
    # template=f"panel-{kind}-external" those with that word between the two.
    for prefix, suffix in re.findall(r'template=f"([a-z-]+)\{[a-z_]+\}([a-z-]*)"', source):
        pattern = re.escape(prefix) + "[a-z]+" + re.escape(suffix)
        used |= {key for key in EMAIL_TEMPLATES if re.fullmatch(pattern, key)}
    assert used == set(EMAIL_TEMPLATES)


def test_the_notify_settings_are_documented():
    example = (ROOT / ".env.example").read_text()
    for name in ("NOTIFY_API_KEY", "NOTIFY_TEMPLATE_IDS", "NOTIFY_BASE_URL"):
        assert name in example


def test_a_notify_configuration_missing_a_template_stops_the_checks(settings, notify):
    from django.core.management.base import SystemCheckError

    call_command("check")  # the stand-in's configuration is complete
    del settings.NOTIFY_TEMPLATE_IDS["panel-papers-ready"]
    with pytest.raises(SystemCheckError, match="no template id for: panel-papers-ready"):
        call_command("check")
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(SystemCheckError, match="NOTIFY_API_KEY is not set"):
        call_command("check")


def test_deliveries_are_kept_as_long_as_the_access_log_and_calendar_files_until_they_expire():
    from datetime import timedelta

    from django.utils import timezone

    from complexcases.core.models import CalendarFile
    from complexcases.core.tasks import apply_access_log_retention

    def delivery(recipient):
        return EmailDelivery.objects.create(
            recipient=recipient, status="sent", template="jcw-opened"
        )

    old, recent = delivery("old@example.com"), delivery("recent@example.com")
    EmailDelivery.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=731))
    now = timezone.now()
    CalendarFile.objects.create(content="BEGIN:VCALENDAR", expires_at=now - timedelta(days=1))
    kept = CalendarFile.objects.create(
        content="BEGIN:VCALENDAR", expires_at=now + timedelta(days=1)
    )
    apply_access_log_retention.apply()
    assert list(EmailDelivery.objects.all()) == [recent]
    assert list(CalendarFile.objects.all()) == [kept]


def test_an_administrator_sees_failed_emails_and_cannot_change_them(admin_user):
    from tests.auth import sign_in_verified

    admin_client = sign_in_verified(Client(), admin_user)
    EmailDelivery.objects.create(
        recipient="spo@example.com", status="failed", template="jcw-opened", error="Notify 400: x"
    )
    url = reverse("admin:core_emaildelivery_changelist") + "?status__exact=failed"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Notify 400: x" in response.content.decode()
    assert admin_client.get(reverse("admin:core_emaildelivery_add")).status_code == 403


def test_an_outside_invitee_s_invitation_and_code_go_through_notify(
    notify, panel_world, django_capture_on_commit_callbacks
):
    """Issue 21: the panel invitation is one Notify email per invitee; someone outside the
    service gets the external template with their papers link, and the code its own template."""
    from django.test import Client

    from panel.services import panel_booking_create, panel_invitations_send

    booking = panel_booking_create(
        slot=panel_world["session"].slots.first(),
        triage_record=panel_world["record"],
        by=panel_world["admin"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        panel_invitations_send(booking=booking, by=panel_world["admin"])
    by_address = {sent["email_address"]: sent for sent in notify.sent}
    assert len(by_address) == len(notify.sent)  # one each
    outsider = by_address["olu.bakare@nhs.example"]
    assert outsider["template_id"] == notify.template_ids["panel-invite-external"]
    assert set(outsider["personalisation"]) == {
        "when",
        "papers_link",
        "link_expires",
        "calendar_link",
        "case_reference",
    }
    assert "/papers/" in outsider["personalisation"]["papers_link"]
    staff = by_address["priya.hughes@example.com"]
    assert staff["template_id"] == notify.template_ids["panel-invite"]
    assert "papers_link" not in staff["personalisation"]

    path = outsider["personalisation"]["papers_link"].removeprefix("http://127.0.0.1:8000")
    notify.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(path, {"email": "olu.bakare@nhs.example"})
    (code,) = notify.sent
    assert code["template_id"] == notify.template_ids["panel-papers-code"]
    assert code["personalisation"]["minutes"] == "10"
    assert len(code["personalisation"]["code"]) == 6
