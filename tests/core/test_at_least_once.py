"""Every job that must run is at least once (ADR 0052), so each is safe to run twice: proved here.

The release of panel papers and the panel sessions are proved in their own tests
(tests/panel/test_services.py::TestPapers::test_papers_are_released_three_working_days_before,
tests/panel/test_tasks.py: a second run makes nothing).
"""

from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from complexcases.celery import app
from complexcases.core.email import email_queue
from complexcases.core.models import EmailDelivery, TaskRun
from complexcases.core.tasks import (
    ReliableTask,
    apply_access_log_retention,
    deliver_email,
    relay_outbox,
)
from complexcases.organisation.roles import Role
from complexcases.outcomes.tasks import refresh_outcomes
from complexcases.screening.models import Extract, ExtractUpload, MonthlyList, MonthlyListEntry
from complexcases.screening.services import extract_import
from complexcases.screening.tasks import generate_monthly_list, import_extract_upload
from panel.models import ReminderDigest
from panel.tasks import generate_panel_sessions, release_panel_papers, send_reminders
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_every_job_that_must_run_is_acknowledged_late_and_requeued_if_its_worker_dies():
    for task in (
        import_extract_upload,
        generate_monthly_list,
        send_reminders,
        release_panel_papers,
        generate_panel_sessions,
        apply_access_log_retention,
        refresh_outcomes,
    ):
        assert isinstance(task, ReliableTask), task.name
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True), task.name
    assert (deliver_email.acks_late, deliver_email.reject_on_worker_lost) == (True, True)


def test_the_monthly_list_twice_makes_one_list_and_one_email_each(pdus):
    UserFactory(pdu=pdus["NORTHANTS"], roles=[Role.SENIOR_PROBATION_OFFICER])
    extract_import(source=extract_csv([row(**SIX_CRITERIA)]), filename="e.csv", imported_by=None)
    first = generate_monthly_list.apply(kwargs={"month": "2026-10"}).get()
    second = generate_monthly_list.apply(kwargs={"month": "2026-10"}).get()
    assert (first, second) == (4, 0)
    assert MonthlyList.objects.filter(month=date(2026, 10, 1)).count() == 4
    assert MonthlyListEntry.objects.count() == 1
    assert EmailDelivery.objects.filter(template="monthly-list-ready").count() == 1
    runs = TaskRun.objects.filter(task=generate_monthly_list.name)
    assert set(runs.values_list("status", flat=True)) == {"succeeded"}


def test_an_upload_imported_twice_is_imported_once(pdus, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = ExtractUpload.objects.create(filename="october.csv", uploaded_by=UserFactory())
    upload.file.save(
        "october.csv", SimpleUploadedFile("october.csv", extract_csv([row(**SIX_CRITERIA)]))
    )
    first = import_extract_upload.apply(args=[str(upload.pk)]).get()
    second = import_extract_upload.apply(args=[str(upload.pk)]).get()
    assert (first, second) == ("imported", "imported")
    assert Extract.objects.count() == 1
    upload.refresh_from_db()
    assert upload.summary.startswith("Extract as at 1 October 2026 imported: 1 people")


def test_reminders_twice_the_same_day_send_one_digest_each(panel_world):
    from tests.panel.test_after_panel import digest_world

    digest_world(panel_world)
    first = send_reminders.apply().get()
    second = send_reminders.apply().get()
    assert (first, second) == (4, 0)
    assert ReminderDigest.objects.count() == 4
    assert EmailDelivery.objects.filter(template="reminder-digest").count() == 4


def queue(to=("a@example.com", "b@example.com")):
    with transaction.atomic():
        email_queue(
            subject="Complex Cases: work passed on",
            body="Your work has been passed on.\n",
            to=list(to),
            record_type="leaver",
            template="work-passed-on",
            personalisation={},
        )
    return EmailDelivery.objects.values_list("email_id", flat=True).first()


def test_an_email_delivered_twice_is_sent_once():
    queue()
    email_ids = sorted(set(EmailDelivery.objects.values_list("email_id", flat=True)))
    assert len(email_ids) == 2  # one email per recipient: nobody sees another's address
    for email_id in email_ids:
        assert deliver_email.apply(kwargs={"email_id": email_id}).get() == 1
        assert deliver_email.apply(kwargs={"email_id": email_id}).get() == 0
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.com", "b@example.com"]
    assert [len(message.to) for message in mail.outbox] == [1, 1]
    assert set(EmailDelivery.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_the_relay_twice_hands_each_email_over_once(eager):
    queue()
    EmailDelivery.objects.update(next_attempt_at="2026-01-01T00:00Z")  # due: never handed over
    first = relay_outbox.apply().get()
    second = relay_outbox.apply().get()
    assert (first, second) == ({"emails": 2, "tasks": 0}, {"emails": 0, "tasks": 0})
    assert len(mail.outbox) == 2  # one for each recipient, each once


def test_retention_twice_deletes_once():
    assert apply_access_log_retention.apply().get() == 0
    assert apply_access_log_retention.apply().get() == 0


def test_a_job_failed_after_its_retries_is_a_failed_run_an_administrator_can_run_again(
    system_admin_user, eager
):
    missing = "00000000-0000-0000-0000-000000000000"
    import_extract_upload.apply(args=[missing])
    [run] = TaskRun.objects.all()
    assert (run.task, run.status, run.attempts) == (import_extract_upload.name, "failed", 1)
    assert run.error.startswith("DoesNotExist")
    admin = sign_in_verified(Client(), system_admin_user)
    page = admin.get(reverse("admin:core_taskrun_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert "DoesNotExist" in page.content.decode()
    admin.post(
        reverse("admin:core_taskrun_changelist"),
        {"action": "run_again", "_selected_action": [run.pk]},
    )
    again = TaskRun.objects.exclude(pk=run.pk).get()
    assert (again.status, again.args) == ("queued", [missing])


def test_a_failed_email_is_seen_and_sent_again_by_a_system_administrator(system_admin_user):
    email_id = queue(to=["spo@example.com"])
    EmailDelivery.objects.update(status="failed", error="Notify 400: x", attempts=1)
    admin = sign_in_verified(Client(), system_admin_user)
    url = reverse("admin:core_emaildelivery_changelist")
    page = admin.get(url + "?status__exact=failed")
    assert page.status_code == 200
    assert "Notify 400: x" in page.content.decode()
    [delivery] = EmailDelivery.objects.all()
    admin.post(url, {"action": "send_again", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 0)
    assert deliver_email.apply(kwargs={"email_id": email_id}).get() == 1
