"""Triage opens where the work is; the invitation form ticks who attends by default."""

import pytest
from django.urls import reverse

from tests.html import parse
from tests.triage.test_views import as_user, held_request
from tests.triage_fixtures import a_request

pytestmark = pytest.mark.django_db


def _current_tab(response) -> str:
    return (
        parse(response)
        .select_one(".moj-sub-navigation__link[aria-current=page]")
        .get_text(" ", strip=True)
    )


def test_triage_opens_on_the_first_tab_with_requests(triage_world):
    """With nothing new but one awaiting its outcome, the queue opens there, not on New (0)."""
    request = held_request(triage_world)
    client = as_user(triage_world["manager"])
    response = client.get(reverse("triage:queue"))
    assert _current_tab(response) == "Awaiting outcome (1)"
    names = [a.get_text(" ", strip=True) for a in parse(response).select("tbody a")]
    assert any(request.person.surname in name for name in names)
    # Choosing a tab still shows that tab, empty or not.
    assert _current_tab(client.get(reverse("triage:queue"), {"tab": "new"})) == "New (0)"


def test_triage_opens_on_new_when_there_is_nothing_at_all(triage_world):
    assert _current_tab(as_user(triage_world["manager"]).get(reverse("triage:queue"))) == "New (0)"


def test_the_invitation_form_ticks_the_qdo_and_the_psychologist(triage_world):
    """They attend every triage meeting, with the practitioner and SPO; roles read as words."""
    request = a_request(triage_world)
    page = parse(
        as_user(triage_world["manager"]).get(reverse("triage:schedule", args=[request.pk]))
    )
    ticked = {
        page.select_one(f"label[for={box['id']}]").get_text(" ", strip=True)
        for box in page.select("input[name=invitees]")
        if box.has_attr("checked")
    }
    assert ticked == {
        "Priya Hughes (practitioner)",
        "Sam Okafor (SPO)",
        "Morgan Ellis (programme manager)",
        "Quinn Dawson (quality development officer)",
        "Fran Lowe (senior forensic psychologist)",
    }
    labels = [
        page.select_one(f"label[for={box['id']}]").get_text(" ", strip=True)
        for box in page.select("input[name=invitees]")
    ]
    assert "Casey Adeyemi (case administrator)" in labels
