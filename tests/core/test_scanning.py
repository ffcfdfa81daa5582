"""Every upload is scanned by a real clamd before it is read or stored (tests/clamd.py).

The three upload paths (extracts, organisation files, panel papers) each get the EICAR test
file and must refuse it with the same clear message, store nothing, and log the signature
without the file's name. Without a scanner, uploads work and the page says scanning is off;
with a scanner configured but down, uploads are refused (fail closed).
"""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complexcases.core.scanning import (
    INFECTED_MESSAGE,
    SCANNING_OFF_HINT,
    UNAVAILABLE_MESSAGE,
    ScannerUnavailable,
    stream_scan,
)
from complexcases.organisation.models import ProbationDeliveryUnit
from complexcases.screening.models import ExtractUpload
from panel.models import PanelPaper
from panel.services import panel_booking_create
from tests.clamd import EICAR, SIGNATURE, clamd_running
from tests.html import error_summary, parse

ORGANISATION_CSV = (
    b"region_code,region_name,pdu_code,pdu_name\nEOE,East of England,ESSEXS,Essex South\n"
)


@pytest.fixture(scope="session")
def clamd_url(tmp_path_factory):
    with clamd_running(tmp_path_factory.mktemp("clamd")) as url:
        yield url


@pytest.fixture
def scanner(settings, clamd_url):
    settings.CLAMD_URL = clamd_url
    return clamd_url


def media_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_clamd_finds_eicar_and_passes_a_clean_stream(scanner):
    assert stream_scan(io.BytesIO(EICAR)) == f"{SIGNATURE}.UNOFFICIAL"
    assert stream_scan(io.BytesIO(b"crn,name\n")) is None


def test_a_scanner_that_is_down_gives_no_verdict(settings, tmp_path):
    settings.CLAMD_URL = f"unix://{tmp_path / 'no-clamd.sock'}"
    with pytest.raises(ScannerUnavailable):
        stream_scan(io.BytesIO(b"anything"))


@pytest.fixture
def panel_paper_upload(panel_world):
    booking = panel_booking_create(
        slot=panel_world["session"].slots.first(),
        triage_record=panel_world["record"],
        by=panel_world["admin"],
    )
    client = Client()
    client.force_login(panel_world["admin"])
    url = reverse("panel:paper-upload", args=[booking.pk])
    return client, url, {"title": "Psychology report"}


@pytest.fixture(params=["extract", "organisation", "panel paper"])
def upload_path(request, settings, tmp_path):
    """(client, url, other form fields, rows stored so far) for each of the three upload paths."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    if request.param == "extract":
        client = request.getfixturevalue("case_admin_client")
        return client, reverse("screening:extract-upload"), {}, ExtractUpload.objects.count
    if request.param == "organisation":
        client = request.getfixturevalue("system_admin_client")
        return client, reverse("organisation:upload"), {}, ProbationDeliveryUnit.objects.count
    client, url, fields = request.getfixturevalue("panel_paper_upload")
    return client, url, fields, PanelPaper.objects.count


@pytest.mark.django_db
def test_every_upload_path_refuses_the_eicar_file_and_keeps_it_nowhere(
    upload_path, scanner, settings, caplog
):
    client, url, fields, stored = upload_path
    before = stored()
    eicar = SimpleUploadedFile("Adams-A000001.csv", EICAR, "text/csv")
    with caplog.at_level(logging.WARNING, logger="complexcases.core.scanning"):
        response = client.post(url, {**fields, "file": eicar})
    assert response.status_code == 200
    assert error_summary(response) == [INFECTED_MESSAGE]
    assert stored() == before
    assert media_files(settings) == []
    [record] = [r for r in caplog.records if r.name == "complexcases.core.scanning"]
    assert SIGNATURE in record.getMessage()
    assert "Adams" not in record.getMessage()
    assert "A000001" not in record.getMessage()


@pytest.mark.django_db
def test_every_upload_path_refuses_when_the_scanner_is_configured_but_down(
    upload_path, settings, tmp_path
):
    client, url, fields, stored = upload_path
    settings.CLAMD_URL = f"unix://{tmp_path / 'no-clamd.sock'}"
    before = stored()
    response = client.post(url, {**fields, "file": SimpleUploadedFile("a.csv", ORGANISATION_CSV)})
    assert error_summary(response) == [UNAVAILABLE_MESSAGE]
    assert stored() == before
    assert media_files(settings) == []


@pytest.mark.django_db
def test_every_upload_page_says_when_scanning_is_off_and_only_then(upload_path, settings):
    client, url, _, _ = upload_path
    settings.CLAMD_URL = ""
    assert SCANNING_OFF_HINT in parse(client.get(url)).get_text()
    settings.CLAMD_URL = "unix:///nowhere.sock"
    assert SCANNING_OFF_HINT not in parse(client.get(url)).get_text()


@pytest.mark.django_db
def test_a_clean_file_passes_the_scanner_and_is_stored(panel_paper_upload, scanner):
    client, url, fields = panel_paper_upload
    upload = SimpleUploadedFile("report.txt", b"Notes from the psychology assessment.\n")
    response = client.post(url, {**fields, "file": upload})
    assert response.status_code == 302
    assert PanelPaper.objects.get().kind == "txt"


@pytest.mark.django_db
def test_without_a_scanner_uploads_work_unless_scanning_is_required(system_admin_client, settings):
    settings.CLAMD_URL = ""
    url = reverse("organisation:upload")
    settings.UPLOAD_SCAN_REQUIRED = True
    refused = system_admin_client.post(url, {"file": SimpleUploadedFile("o.csv", ORGANISATION_CSV)})
    assert error_summary(refused) == [UNAVAILABLE_MESSAGE]
    assert not ProbationDeliveryUnit.objects.filter(code="ESSEXS").exists()
    settings.UPLOAD_SCAN_REQUIRED = False
    accepted = system_admin_client.post(
        url, {"file": SimpleUploadedFile("o.csv", ORGANISATION_CSV)}
    )
    assert accepted.status_code == 302
    assert ProbationDeliveryUnit.objects.get(code="ESSEXS").region.code == "EOE"


def test_production_refuses_unscanned_uploads_by_default():
    """Production fails closed: without CLAMD_URL, uploads are refused unless told otherwise."""
    from tests.test_settings import manage

    script = "from django.conf import settings; print(settings.UPLOAD_SCAN_REQUIRED)"
    assert manage("shell", "-c", script).stdout.split()[-1] == "True"
    assert manage("shell", "-c", script, UPLOAD_SCAN_REQUIRED="false").stdout.split()[-1] == "False"
