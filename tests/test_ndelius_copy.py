"""Every "copy into nDelius" page: the text to copy, and a disclosure to nDelius in the log.

The pages come from the URLconf (every URL name with "ndelius" in it), so a new one must
say here how to reach a record that has something to copy. docs/security.md: showing the
text is a disclosure, with nDelius as its recipient (the panel's page logged a
consultation with no recipient until ADR 0027).
"""

import pytest
from django.test import Client
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from tests.access_fixtures import kwargs_for
from tests.auth import sign_in_verified
from tests.html import parse
from tests.test_access_matrix import url_names


def _completed_follow_up(matrix):
    from panel.services import follow_up_record

    follow_up = matrix["visible"]["panel-follow-up"]
    return follow_up_record(
        follow_up=follow_up,
        progress={},
        developments="AP place offered.",
        wellbeing="managing",
        wellbeing_notes="",
        further_support="none",
        early_outcomes=[],
        other_outcome="",
        by=matrix["users"][Role.PROGRAMME_MANAGER],
    )


def _triage_with_outcome(matrix):
    from triage.models import TriageRequest

    return TriageRequest.objects.filter(
        record__isnull=False, person=matrix["visible"]["triage"].person
    ).first()


# url name → (the kind of object its URL takes, the record to copy, its record type in the log)
COPY_PAGES = {
    "screening:reflective-conversation-ndelius": (
        "conversation",
        lambda matrix: matrix["visible"]["conversation"],
        "reflective conversation",
    ),
    "triage:ndelius": ("triage", _triage_with_outcome, "triage record"),
    "jcw:contact-ndelius": (
        "contact",
        lambda matrix: matrix["visible"]["contact"],
        "JCW contact",
    ),
    "panel:follow-up-ndelius": ("panel-follow-up", _completed_follow_up, "follow-up"),
}


def test_every_ndelius_page_is_checked_here():
    assert sorted(name for name in url_names() if "ndelius" in name) == sorted(COPY_PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(COPY_PAGES))
def test_the_page_shows_the_text_and_logs_a_disclosure_to_ndelius(name, matrix):
    kind, ready, record_type = COPY_PAGES[name]
    record = ready(matrix)
    person = record.person if hasattr(record, "person") else record.episode.person
    client = sign_in_verified(Client(), matrix["users"][Role.PROGRAMME_MANAGER])
    before = set(AccessLogEntry.objects.filter(person_crn=person.crn).values_list("pk", flat=True))

    response = client.get(reverse(name, kwargs=kwargs_for(kind, record)))

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("h1").get_text(strip=True).startswith("Copy")
    assert page.select_one("textarea#ndelius-text[readonly]").get_text().strip()
    (entry,) = AccessLogEntry.objects.filter(person_crn=person.crn).exclude(pk__in=before)
    assert entry.action == AccessLogEntry.Action.DISCLOSURE
    assert entry.recipient == "nDelius (copied by the user)"
    assert entry.record_type == record_type
    assert entry.record_id == str(record.pk)
    assert entry.detail == "nDelius contact text viewed"
