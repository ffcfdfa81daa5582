"""The monthly list's PDU filter offers only the PDUs whose people the user may see."""

import pytest

from complexcases.organisation.models import ProbationDeliveryUnit
from complexcases.organisation.roles import Role
from tests.factories import UserFactory
from tests.html import parse
from tests.screening.test_views import LIST_URL, client_for, october_list  # noqa: F401

pytestmark = pytest.mark.django_db


def _pdu_options(response) -> list[str]:
    return [o.get_text(strip=True) for o in parse(response).select("select[name=pdu] option")]


def test_a_practitioner_is_offered_only_their_own_pdu(client, october_list):  # noqa: F811
    response = client_for(client, october_list["priya"]).get(LIST_URL)
    assert _pdu_options(response)[1:] == ["Northamptonshire"]


def test_the_complex_cases_team_is_offered_every_pdu(client, october_list):  # noqa: F811
    response = client_for(client, UserFactory(roles=[Role.CASE_ADMINISTRATOR])).get(LIST_URL)
    every = ProbationDeliveryUnit.objects.values_list("name", flat=True)
    assert sorted(_pdu_options(response)[1:]) == sorted(every)
    assert "Essex South" in every  # no one on the list there, but the team may filter by it
