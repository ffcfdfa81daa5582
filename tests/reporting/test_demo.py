"""The demo's synthetic learning log, and the demo head of service's dashboard."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from complexcases.organisation.models import User
from complexcases.reporting.models import LearningEntry
from tests.auth import sign_in_verified
from triage.models import TriageRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_learning_entries_and_loading_again_adds_none(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    assert LearningEntry.objects.count() == 3
    met = TriageRequest.objects.filter(
        meeting__isnull=False, person__practitioner__email="practitioner@example.com"
    ).select_related("meeting")
    assert met.count() == 4  # the panel's three cases and the case closed at triage
    assert all(request.requested_at < request.meeting.starts_at for request in met)
    assert {entry.region.code for entry in LearningEntry.objects.all()} == {"EOE"}
    head = User.objects.get(email="head.of.service@example.com")
    client = sign_in_verified(Client(), head)
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    assert client.get(reverse("reporting:monthly-report")).status_code == 200
    assert (
        "Regional approved premises referral unit"
        in client.get(reverse("reporting:learning-log")).content.decode()
    )
