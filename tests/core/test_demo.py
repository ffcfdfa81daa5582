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
    sign_ins = User.objects.filter(is_active=True)
    assert sign_ins.count() == len(DEMO_STAFF)
    assert {u.groups.get().name for u in sign_ins} == set(Role.ALL)
    # Practitioners named in the synthetic extracts arrive as staff records that cannot sign in.
    imported = User.objects.filter(is_active=False)
    assert (
        imported.count() == 15
    )  # four per PDU; the demo practitioner is one of Northamptonshire's
    assert not any(u.has_usable_password() for u in imported)
    from complexcases.screening.models import MonthlyListEntry, ReflectiveConversation

    assert set(MonthlyListEntry.objects.values_list("status", flat=True)) == {
        "new",
        "listed_again",
        "no_longer_listed",
    }
    assert ReflectiveConversation.objects.count() == 4
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
    home = client.get(reverse("home"))
    if email in ("admin@example.com", "dpo@example.com"):
        assert home["Location"] == reverse(
            "two-factor-setup"
        )  # these roles must add an authenticator app
    else:
        assert home.status_code == 200


def test_demo_panel_has_a_waiting_a_booked_and_a_heard_case(settings):
    """Through the real services: the ready queue, invitations sent, final minutes with actions."""
    from panel.models import PanelAction, PanelBooking, PanelSession
    from panel.selectors import ready_for_panel

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    assert ready_for_panel().count() == 1
    booked = PanelBooking.objects.get(status="booked")
    assert booked.invitations_sent_at is not None
    assert booked.invitees.filter(role__code="equalities_manager").exists()  # gender identity theme
    # The demo practitioner's case (the outcomes history's heard cases are other practitioners').
    heard = PanelBooking.objects.get(
        status="heard", person__practitioner__email="practitioner@example.com"
    )
    assert heard.minutes.status == "final"
    assert PanelAction.objects.filter(booking=heard).count() == 3
    assert PanelSession.objects.filter(pattern__isnull=False).count() >= 3


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction
def test_reset_demo_empties_the_database_and_loads_the_demo_again(settings, capsys):
    """`make reset-demo`: what was changed is gone, the demo and its reference data are back."""
    from panel.models import EarlyOutcome
    from triage.models import Theme

    settings.DEBUG = True
    call_command("load_demo_data")
    practitioner = User.objects.get(email="practitioner@example.com")
    practitioner.first_name = "Changed"
    practitioner.save(update_fields=["first_name"])
    User.objects.create(email="someone.new@example.com")
    call_command("load_demo_data", "--reset")
    assert "Every table emptied." in capsys.readouterr().out
    assert not User.objects.filter(email="someone.new@example.com").exists()
    assert User.objects.get(email="practitioner@example.com").first_name == "Priya"
    assert User.objects.filter(is_active=True).count() == len(DEMO_STAFF)
    assert {u.groups.get().name for u in User.objects.filter(is_active=True)} == set(Role.ALL)
    assert Theme.objects.exists()
    assert EarlyOutcome.objects.exists()


def test_reset_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    User.objects.create(email="kept@example.com")
    with pytest.raises(CommandError, match="only loaded when DEBUG is on"):
        call_command("load_demo_data", "--reset")
    assert User.objects.filter(email="kept@example.com").exists()


def test_demo_has_a_closed_case_and_one_waiting_for_its_triage_meeting(settings):
    """Besides the panel's three: one case closed with guidance, one with a meeting to arrange,
    its request dated before its meeting (time runs forwards)."""
    from complexcases.cases.models import Case
    from triage.models import TriageRequest

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")  # idempotent
    # The demo practitioner's cases (the outcomes history's are other practitioners', closed).
    cases = Case.objects.filter(person__practitioner__email="practitioner@example.com")
    statuses = sorted(cases.values_list("status", flat=True))
    assert statuses == ["awaiting_panel", "booked", "closed", "in_follow_up", "requested"]
    closed = cases.get(status="closed")
    assert closed.closed_reason == "guidance"
    request = TriageRequest.objects.get(case=closed)
    assert request.requested_at < request.meeting.starts_at < request.record.recorded_at
    assert closed.opened_at == request.requested_at
    waiting = TriageRequest.objects.get(case__status="requested")
    assert waiting.urgent
