"""Subject access: everything about one person, nothing about anyone else, logged."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from complexcases.screening.selectors import current_list_entry
from complexcases.screening.services import pathway_override_record, reflective_conversation_record
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.triage_fixtures import a_request, next_week_at_10
from triage.models import Theme
from triage.services import (
    Blocker,
    triage_mark_held,
    triage_meeting_schedule,
    triage_outcome_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(triage_world):
    """A record of every kind for Adams (A000001); Evans (B000001) has records too."""
    world = triage_world
    adams = world["listed"]
    reflective_conversation_record(
        entry=current_list_entry(adams),
        held_on=timezone.localdate() - timedelta(days=2),
        spo=world["spo"],
        notes="Talked about housing",
        outcome="no_further_support",
        recorded_by=world["priya"],
    )
    pathway_override_record(
        person=world["unlisted"], reason="Below threshold but stuck", marked_by=world["priya"]
    )
    request = a_request(world)
    triage_meeting_schedule(
        request=request,
        starts_at=next_week_at_10(),
        duration_minutes=45,
        invitees=[(world["priya"], "Practitioner")],
        external_invitees=[],
        by=world["admin"],
    )
    request.meeting.starts_at = timezone.now() - timedelta(hours=1)
    request.meeting.save()
    triage_mark_held(
        request=request,
        attended=[i.pk for i in request.meeting.invitees.all()],
        by=world["manager"],
    )
    triage_outcome_record(
        request=request,
        blockers=[Blocker("No AP place", [Theme.objects.get(name="Mental health")])],
        guidance="Escalate",
        outcome="closed_with_guidance",
        by=world["manager"],
    )
    a_request(world, "elsewhere", requested_by=world["other"], blockers="Evans's own blocker")
    dpo = UserFactory(email="dana@example.com", roles=[Role.DATA_PROTECTION_OFFICER])
    return {"world": world, "dpo": sign_in_verified(Client(), dpo)}


def test_only_the_dpo_can_produce_one(triage_world, practitioner_client, case_admin_client):
    for client in (practitioner_client, case_admin_client):
        assert client.get(reverse("subject-access-report", args=["A000001"])).status_code == 403


def test_the_json_holds_a_record_of_every_kind_and_nothing_of_anyone_else(seeded):
    response = seeded["dpo"].get(reverse("subject-access-json", args=["A000001"]))
    assert response["Content-Disposition"] == 'attachment; filename="subject-access-A000001.json"'
    report = json.loads(response.content)
    assert report["person"]["crn"] == "A000001"
    assert report["person"]["practitioner"] == "Priya Hughes"
    assert len(report["screenings"]) == 1
    assert report["screenings"][0]["criteria_met"] == [1, 2, 3, 4, 5, 6]
    assert len(report["monthly_list_entries"]) == 1
    assert report["reflective_conversations"][0]["notes"] == "Talked about housing"
    [triage] = report["triage_requests"]
    assert triage["outcome"]["blockers"] == [
        {"description": "No AP place", "themes": ["Mental health"]}
    ]
    assert triage["meeting"]["invitees"][0]["attended"] is True
    assert {entry["action"] for entry in report["access_log"]} >= {"collection", "disclosure"}
    text = response.content.decode()
    for other in (
        "B000001",
        "A000002",
        "Evans",
        "Evans's own blocker",
        "Below threshold but stuck",
    ):
        assert other not in text


def test_staff_names_can_be_redacted(seeded):
    report = (
        seeded["dpo"]
        .get(reverse("subject-access-json", args=["A000001"]), {"redact": "1"})
        .content.decode()
    )
    for name in ("Priya Hughes", "Sam Okafor", "Morgan Ellis", "priya.hughes@example.com"):
        assert name not in report
    assert "[member of staff]" in report


def test_producing_it_is_logged_as_a_disclosure(seeded):
    page = seeded["dpo"].get(reverse("subject-access-report", args=["A000001"]))
    assert page.status_code == 200
    entry = AccessLogEntry.objects.filter(record_type="subject access report").get()
    assert (entry.action, entry.person_crn, entry.detail) == ("disclosure", "A000001", "HTML")
    assert "dana@example.com" in entry.recipient


def test_choosing_the_person(seeded):
    dpo = seeded["dpo"]
    assert dpo.get(reverse("subject-access"), {"crn": "a000001", "redact": "1"})["Location"] == (
        reverse("subject-access-report", args=["A000001"]) + "?redact=1"
    )
    missing = dpo.get(reverse("subject-access"), {"crn": "Z999999"})
    assert "There is no one with that CRN in the service" in missing.content.decode()
    assert dpo.get(reverse("subject-access-report", args=["Z999999"])).status_code == 404


def test_each_emails_sends_are_under_its_disclosure_row(seeded):
    from complexcases.core.models import EmailDelivery

    adams, evans = (
        AccessLogEntry.objects.filter(person_crn=crn, action="disclosure").first()
        for crn in ("A000001", "B000001")
    )
    sends = [
        ("t1", "triage-outcome-recorded", adams, "priya.hughes@example.com"),
        ("t2", "triage-request-received", evans, "evans.pp@example.com"),
    ]
    EmailDelivery.objects.all().delete()  # the seeded changes' own emails, queued with them
    for email_id, template, disclosure, recipient in sends:
        EmailDelivery.objects.create(
            email_id=email_id,
            template=template,
            disclosure_id=disclosure.pk,
            recipient=recipient,
            status="sent",
        )
    url = reverse("subject-access-json", args=["A000001"])
    report = json.loads(seeded["dpo"].get(url).content)
    [entry] = [e for e in report["access_log"] if "emails" in e]
    assert [(s["template"], s["recipient"], s["status"]) for s in entry["emails"]] == [
        ("triage-outcome-recorded", "priya.hughes@example.com", "sent")
    ]
    redacted = json.loads(seeded["dpo"].get(url, {"redact": "1"}).content)
    [entry] = [e for e in redacted["access_log"] if "emails" in e]
    assert entry["emails"][0]["recipient"] == "[redacted]"
    assert "evans.pp@example.com" not in seeded["dpo"].get(url).content.decode()
