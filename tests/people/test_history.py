"""Record history: who changed which field from what to what, visible to the Complex Cases team."""

import pytest
from django.test import Client
from django.urls import reverse

from complexcases.core.history import record_changes
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.screening.services import extract_import
from tests.factories import UserFactory
from tests.html import parse
from tests.screening.builders import extract_csv, row

pytestmark = pytest.mark.django_db


def do_import(rows, user=None):
    return extract_import(source=extract_csv(rows), filename="e.csv", imported_by=user)


def test_imports_record_creation_and_each_change_but_not_an_unchanged_month(pdus):
    admin = UserFactory(roles=[Role.CASE_ADMINISTRATOR])
    do_import([row(extract_date="2026-09-01")], user=admin)
    do_import([row(extract_date="2026-10-01")])  # same details
    do_import([row(extract_date="2026-11-01", surname="Renamed", custody_status="custody")])
    person = Person.objects.get()
    history = record_changes(person)
    assert [change.kind for change in history] == ["Changed", "Created"]
    assert history[1].who == admin.get_full_name()
    assert history[1].reason == "Monthly extract as at 2026-09-01"
    assert sorted((d.field, d.old, d.new) for d in history[0].changes) == [
        ("as at", "2026-09-01", "2026-11-01"),
        ("custody status", "In the community", "In custody"),
        ("surname", "Example", "Renamed"),
    ]


def test_a_change_in_the_service_records_who_made_it(pdus):
    priya = UserFactory(
        staff_code="N01P001", email="priya.hughes@example.com", roles=[Role.PROBATION_PRACTITIONER]
    )
    do_import([row()])
    client = Client()
    client.force_login(priya)
    url = reverse("people:pom", args=["X000001"])
    version = parse(client.get(url)).select_one("input[name=version]")["value"]
    client.post(url, {"pom_name": "Alex Rowe", "pom_contact": "", "version": version})
    [latest, *_] = record_changes(Person.objects.get())
    assert latest.who == priya.get_full_name()
    assert [(d.field, d.old, d.new) for d in latest.changes] == [("POM name", "blank", "Alex Rowe")]


def test_only_the_complex_cases_team_sees_the_history_on_the_page(pdus):
    priya = UserFactory(
        staff_code="N01P001", email="priya.hughes@example.com", roles=[Role.PROBATION_PRACTITIONER]
    )
    do_import([row()])
    do_import([row(extract_date="2026-11-01", surname="Renamed")])
    team, holder = Client(), Client()
    team.force_login(UserFactory(roles=[Role.PROGRAMME_MANAGER]))
    holder.force_login(priya)
    assert (
        "Surname: Example → Renamed"
        in parse(team.get(reverse("people:person", args=["X000001"]))).get_text()
    )
    assert (
        "Changes to this person's details"
        not in parse(holder.get(reverse("people:person", args=["X000001"]))).get_text()
    )
