"""Every upload page says how large a file may be, from the setting that enforces it."""

import pytest
from django.urls import reverse

from tests.html import parse
from tests.panel.test_views import booked
from tests.triage.test_views import as_user

pytestmark = pytest.mark.django_db


def _hint(response) -> str:
    return (
        parse(response)
        .select_one("input[type=file]")
        .find_previous(class_="govuk-hint")
        .get_text(" ", strip=True)
    )


def test_the_panel_paper_hint_says_the_limit(panel_world, settings):
    settings.PANEL_PAPER_MAX_BYTES = 5 * 1024 * 1024
    settings.CLAMD_URL = "unix:///nowhere.sock"  # scanning on: the hint is the size alone
    booking = booked(panel_world)
    response = as_user(panel_world["admin"]).get(reverse("panel:paper-upload", args=[booking.pk]))
    assert _hint(response) == (
        "PDF, Word (.docx), OpenDocument text (.odt) or plain text, smaller than 5MB."
    )


def test_the_extract_hint_says_the_limit(case_admin_client, settings):
    settings.EXTRACT_UPLOAD_MAX_BYTES = 200 * 1024 * 1024
    hint = _hint(case_admin_client.get(reverse("screening:extract-upload")))
    assert "smaller than 200MB" in hint


def test_the_organisation_hint_says_the_limit(system_admin_client):
    hint = _hint(system_admin_client.get(reverse("organisation:upload")))
    assert "smaller than 5MB" in hint
