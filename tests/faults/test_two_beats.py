"""Two beats at once after a fault: the relay and the monthly list each run twice, at the same
time, in two worker processes, once Redis is back; nothing is made or sent twice."""

from collections import Counter
from datetime import date

import pytest
from django.db import transaction

from complexcases.core.email import email_queue
from complexcases.core.models import EmailDelivery, TaskRun
from complexcases.core.tasks import relay_outbox
from complexcases.organisation.roles import Role
from complexcases.screening.models import MonthlyList, MonthlyListEntry
from complexcases.screening.services import extract_import
from complexcases.screening.tasks import generate_monthly_list
from tests.factories import UserFactory
from tests.faults.components import broker, own_redis, report, wait_until
from tests.faults.test_broker_down import mail_sent
from tests.screening.builders import SIX_CRITERIA, extract_csv, row
from tests.workers import celery_worker_process

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_two_relays_and_two_monthly_lists_at_once_after_an_outage_make_and_send_once(
    pdus, tmp_path, settings
):
    settings.OUTBOX_HANDOVER_LEASE_SECONDS = 2
    mail_dir = tmp_path / "mail"
    for code in pdus:
        UserFactory(pdu=pdus[code], roles=[Role.SENIOR_PROBATION_OFFICER])
    extract_import(
        source=extract_csv([row(crn=f"W00000{n}", **SIX_CRITERIA) for n in range(1, 6)]),
        filename="october.csv",
        imported_by=None,
    )
    with own_redis(tmp_path / "redis") as redis, broker(redis.url):
        redis.stop()  # the fault: emails queued while Redis is down
        for n in range(3):
            with transaction.atomic():
                email_queue(
                    subject=f"Complex Cases: your work was passed on ({n})",
                    body="Your work has been passed on.\n",
                    to=[f"leaver{n}@example.com", "manager@example.com"],
                    record_type="leaver",
                    template="work-passed-on",
                    personalisation={},
                )
        redis.start()
        with celery_worker_process(
            "prefork",
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            concurrency=2,
            REDIS_URL=redis.url,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
        ):
            # Two beats: each job sent twice at once, to two worker processes.
            lists = [
                generate_monthly_list.apply_async(kwargs={"month": "2026-10"}) for _ in range(2)
            ]
            for _ in range(2):
                relay_outbox.apply_async()

            def done():
                finished = TaskRun.objects.filter(
                    pk__in=[r.id for r in lists], status="succeeded"
                ).count()
                if finished == 2 and EmailDelivery.objects.filter(status="queued").exists():
                    relay_outbox.apply()  # beat's next minute, for anything left
                return finished == 2 and not EmailDelivery.objects.filter(status="queued").exists()

            wait_until(done, timeout=90, what="both lists and every email", interval=1)
    made = Counter(MonthlyList.objects.values_list("pdu_id", "month"))
    entries = Counter(MonthlyListEntry.objects.values_list("monthly_list_id", "person_id"))
    rows = Counter(EmailDelivery.objects.values_list("recipient", "subject"))
    sent = mail_sent(mail_dir)
    assert set(made.values()) == {1}
    assert len(made) == len(pdus)
    assert set(entries.values()) == {1}
    assert MonthlyList.objects.filter(month=date(2026, 10, 1)).count() == 4
    assert EmailDelivery.objects.filter(template="monthly-list-ready").count() == 4
    assert sent == rows
    report(
        "test_two_beats",
        fault="Redis down while emails were queued; when it is back the relay and the monthly "
        "list each run twice at once in two worker processes",
        expected="one list per PDU, one entry per person, each email sent once",
        measured=f"{len(made)} lists (at most "
        f"{max(made.values())} per PDU), {len(entries)} entries (at most "
        f"{max(entries.values())} each); {sum(sent.values())} sends for "
        f"{sum(rows.values())} email rows, {sum((sent - rows).values())} duplicated",
    )
