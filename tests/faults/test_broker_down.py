"""Redis (the broker) stopped while people work: nothing fails, nothing is lost, nothing is doubled.

The test's own redis-server on 127.0.0.1 is killed (what it held in memory is lost, as in a
crash), a triage outcome is recorded and panel minutes are finalised through the views, then
Redis is started again with a real worker, and the relay runs as beat runs it.
"""

import email
import time
from collections import Counter
from email.header import decode_header, make_header
from html import escape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from complexcases.core.middleware import OUTBOX_DELAYED_MESSAGE
from complexcases.core.models import EmailDelivery
from complexcases.core.tasks import relay_outbox
from panel.models import PanelMinutes
from tests.faults.components import broker, own_redis, report, wait_until
from tests.panel_fixtures import held
from tests.triage_fixtures import a_request
from tests.workers import celery_worker_process
from triage.models import Theme, TriageRecord

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 2  # how long a handed-over email waits before the relay hands it over again


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mail_sent(mail_dir: Path) -> Counter:
    """(recipient, subject) of every message the file backend wrote, counted."""
    sent = Counter()
    for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk)
            subject = str(make_header(decode_header(message["Subject"]))).replace("\n", "")
            for recipient in message["To"].split(","):
                sent[(recipient.strip(), subject)] += 1
    return sent


def held_request(world, person_key):
    from django.utils import timezone

    from tests.triage_fixtures import next_week_at_10
    from triage.services import triage_mark_held, triage_meeting_schedule

    request = a_request(world, person_key)
    meeting = triage_meeting_schedule(
        request=request,
        starts_at=next_week_at_10(),
        duration_minutes=45,
        invitees=[(world["priya"], "Practitioner")],
        external_invitees=[],
        by=world["admin"],
    )
    meeting.starts_at = timezone.now() - timezone.timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])
    triage_mark_held(request=request, attended=[], by=world["manager"])
    request.refresh_from_db()
    return request


@pytest.fixture
def short_lease(settings):
    """Before the worlds are built: their emails too are handed over again after the lease."""
    settings.OUTBOX_HANDOVER_LEASE_SECONDS = LEASE_SECONDS


def test_with_redis_down_the_views_succeed_and_every_email_goes_once_when_it_is_back(
    short_lease, panel_world, tmp_path, settings
):
    from panel.services import panel_booking_create, panel_minutes_save

    mail_dir = tmp_path / "mail"
    world = panel_world
    with own_redis(tmp_path / "redis") as redis, broker(redis.url):
        # Before the fault: work in progress, whose emails were handed to this Redis.
        request = held_request(world, "unlisted")
        booking = held(
            panel_booking_create(
                slot=world["session"].slots.first(),
                triage_record=world["record"],
                by=world["admin"],
            )
        )
        panel_minutes_save(
            booking=booking,
            content={"chair_summary": "Two actions agreed."},
            attendance={i.pk: "attended" for i in booking.invitees.all()},
            by=world["admin"],
        )
        lost_with_redis = EmailDelivery.objects.filter(status="queued").count()

        redis.stop()  # the fault: Redis dies, with the messages it held

        readiness = Client().get(reverse("health-readiness"))
        manager = as_user(world["manager"])
        outcome_url = reverse("triage:outcome", args=[request.pk])
        from tests.html import parse

        version = parse(manager.get(outcome_url)).select_one("input[name=version]")["value"]
        recorded = manager.post(
            outcome_url,
            {
                "blocker_1": "No AP place",
                "blocker_1_themes": [Theme.objects.get(name="Housing or approved premises").pk],
                "guidance": "Escalate",
                "outcome": "closed_with_guidance",
                "panel_ask": "",
                "version": version,
            },
            follow=True,
        )
        finalised = as_user(world["admin"]).post(
            reverse("panel:minutes-finalise", args=[booking.pk]), follow=True
        )
        started = time.monotonic()
        relayed_while_down = relay_outbox.apply().get()
        relay_seconds = time.monotonic() - started

        statuses = [recorded.status_code, finalised.status_code]
        assert statuses == [200, 200]
        for page in (recorded, finalised):
            assert escape(OUTBOX_DELAYED_MESSAGE) in page.content.decode()
        assert TriageRecord.objects.filter(request=request, outcome="closed_with_guidance").exists()
        assert PanelMinutes.objects.get(booking=booking).status == "final"
        assert readiness.status_code == 200
        assert readiness.json()["status"] == "degraded"
        assert readiness.json()["checks"]["redis"] == "unavailable"
        queued = list(
            EmailDelivery.objects.filter(status="queued").values_list("template", flat=True)
        )
        assert {"triage-outcome-recorded", "panel-minutes-final"} <= set(queued)
        assert relayed_while_down == {"emails": 0, "tasks": 0}

        redis.start()  # the fault ends: an empty Redis on the same port
        with celery_worker_process(
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            REDIS_URL=redis.url,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
        ):
            # Beat's relay, every minute: here as often as the test needs, past the lease.
            def all_sent():
                relay_outbox.apply()
                return not EmailDelivery.objects.filter(status="queued").exists()

            try:
                wait_until(all_sent, timeout=30, what="every queued email to be sent", interval=1)
            except AssertionError:
                raise AssertionError(
                    list(
                        EmailDelivery.objects.filter(status="queued").values_list(
                            "template", "next_attempt_at", "attempts", "error"
                        )
                    )
                ) from None
            again = relay_outbox.apply().get()
    rows = Counter(EmailDelivery.objects.values_list("recipient", "subject"))
    sent = mail_sent(mail_dir)
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert sent == rows  # each email to each recipient exactly once: none missing, none twice
    duplicates = sum((sent - rows).values())
    assert again == {"emails": 0, "tasks": 0}
    report(
        "test_broker_down",
        fault="Redis killed (its messages lost); triage outcome and final minutes posted; Redis back",
        expected="pages 2xx saying emails are delayed; rows saved; readiness 200 'degraded'; "
        "after Redis is back every email sent once, none twice",
        measured=f"pages {statuses} with the notice; outcome and minutes saved; readiness "
        f"{readiness.status_code} {readiness.json()['checks']}; {len(queued)} emails queued "
        f"in the outage (a relay then: {relay_seconds:.1f} s, nothing lost; {lost_with_redis} handed over before it and lost with Redis); "
        f"{sum(sent.values())} sends for {sum(rows.values())} queued (recipient, email) rows, "
        f"{duplicates} duplicated, none missing; a relay after: {again}",
    )
