"""Each screening task through a real Celery worker process and the real Redis broker."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complexcases.organisation.roles import Role
from complexcases.screening.models import ExtractUpload, MonthlyList
from complexcases.screening.services import extract_import, monthly_list_generate
from complexcases.screening.tasks import generate_monthly_list, import_extract_upload
from tests.factories import UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row
from tests.workers import celery_worker

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue(transactional_db, settings, tmp_path):
    # The worker is another process: it must see the same uploaded files and send mail to a file.
    with celery_worker(
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    ) as queue:
        yield queue, tmp_path / "mail"


def test_an_uploaded_extract_is_imported_by_the_worker(worker_queue, pdus):
    queue, _ = worker_queue
    upload = ExtractUpload.objects.create(filename="october.csv", uploaded_by=UserFactory())
    upload.file.save(
        "october.csv", SimpleUploadedFile("october.csv", extract_csv([row(**SIX_CRITERIA)]))
    )
    assert (
        import_extract_upload.apply_async(
            args=[str(upload.id)], queue=queue, ignore_result=False
        ).get(timeout=60)
        == "imported"
    )
    upload.refresh_from_db()
    assert upload.extract.row_count == 1
    assert upload.summary.startswith("Extract as at 1 October 2026 imported: 1 people")


def test_the_monthly_list_task_generates_the_list(worker_queue, pdus):
    queue, _ = worker_queue
    extract_import(source=extract_csv([row(**SIX_CRITERIA)]), filename="e.csv", imported_by=None)
    assert (
        generate_monthly_list.apply_async(
            kwargs={"month": "2026-10"}, queue=queue, ignore_result=False
        ).get(timeout=60)
        == 4
    )
    assert MonthlyList.objects.filter(month=date(2026, 10, 1)).count() == 4


def test_the_list_ready_email_is_queued_with_the_list_and_sent_by_the_worker(worker_queue, pdus):
    from complexcases.core.models import EmailDelivery
    from complexcases.core.tasks import deliver_email

    queue, mail_dir = worker_queue
    UserFactory(
        pdu=pdus["NORTHANTS"], email="spo.north@example.com", roles=[Role.SENIOR_PROBATION_OFFICER]
    )
    extract_import(source=extract_csv([row(**SIX_CRITERIA)]), filename="e.csv", imported_by=None)
    monthly_list_generate(month=date(2026, 10, 1))
    [queued] = EmailDelivery.objects.filter(template="monthly-list-ready")
    assert (queued.recipient, queued.status) == ("spo.north@example.com", "queued")
    assert (
        deliver_email.apply_async(
            kwargs={"email_id": queued.email_id}, queue=queue, ignore_result=False
        ).get(timeout=60)
        == 1
    )
    queued.refresh_from_db()
    assert queued.status == "sent"
    [message] = [path.read_text() for path in mail_dir.iterdir()]
    assert "To: spo.north@example.com" in message
    assert "New this month: 1" in message
    assert "X000001" not in message
