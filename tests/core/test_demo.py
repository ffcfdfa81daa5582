"""The demo data behind `make run`."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from complexcases.organisation.demo import DEMO_PASSWORD, DEMO_STAFF
from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_data_gives_every_role_a_sign_in_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert (
        "Demo data ready (0 new sign-ins; 320 synthetic people, 0 new monthly extracts)" in output
    )
    assert DEMO_PASSWORD in output
    assert User.objects.count() == len(DEMO_STAFF)
    assert {u.groups.get().name for u in User.objects.all()} == set(Role.ALL)
    assert ProbationDeliveryUnit.objects.filter(region__code="EOE").count() == 4
    practitioner = User.objects.get(email="practitioner@example.com")
    assert practitioner.line_manager.email == "spo@example.com"
    assert practitioner.team == practitioner.line_manager.team


def test_demo_data_refuses_to_load_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded when DEBUG is on"):
        call_command("load_demo_data")
    assert not User.objects.exists()


@pytest.mark.parametrize("email", [row[0] for row in DEMO_STAFF])
def test_each_demo_user_can_sign_in(client, settings, email):
    settings.DEBUG = True
    call_command("load_demo_data")
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
