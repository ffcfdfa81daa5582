"""The HMPPS subject access request API, with tokens from a real provider (tests/oidc/provider.mjs).

Every response is checked against the OpenAPI document the service serves (openapi-core).
"""

import time
from datetime import timedelta

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from complexcases.core import openid
from complexcases.core.models import AccessLogEntry
from complexcases.core.subject_access import subject_access_report
from complexcases.organisation.roles import Role
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.oidc_provider import (
    OTHER_CLIENT,
    SAR_AUDIENCE,
)
from tests.triage_fixtures import a_request

pytestmark = pytest.mark.django_db
URL = "/subject-access-request"


@pytest.fixture(scope="module")
def contract():
    return OpenAPI.from_dict(Client().get(reverse("sar-api-openapi")).json())


@pytest.fixture
def call(client, contract):
    """GET the endpoint with a bearer token; the response must match the OpenAPI document."""

    def call(token=None, **params):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.get(URL, params, headers=headers)
        contract.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        return response

    return call


def disclosures():
    return list(
        AccessLogEntry.objects.filter(record_type="subject access request API").order_by("pk")
    )


def test_the_whole_report_about_a_person_with_staff_names(oidc_provider, call, triage_world):
    adams = triage_world["listed"]
    a_request(triage_world)
    response = call(oidc_provider.client_credentials_token(), crn="a000001")
    assert response.status_code == 200
    content = response.json()["content"]
    expected = subject_access_report(person=adams, redact_staff=False)
    assert content.keys() == expected.keys()
    assert content["person"]["crn"] == "A000001"
    assert content["triage_requests"][0]["requested_by"] == "Priya Hughes"
    assert "B000001" not in response.content.decode()
    [entry] = disclosures()
    assert (entry.action, entry.person_crn, entry.user) == ("disclosure", "A000001", None)
    assert entry.recipient == "HMPPS subject access request service, client hmpps-sar"


def test_records_outside_the_period_are_left_out(oidc_provider, call, triage_world):
    a_request(triage_world)
    today = timezone.localdate()
    token = oidc_provider.client_credentials_token()
    inside = call(token, crn="A000001", fromDate=today.isoformat(), toDate=today.isoformat())
    assert len(inside.json()["content"]["triage_requests"]) == 1
    before = call(token, crn="A000001", toDate=(today - timedelta(days=400)).isoformat())
    content = before.json()["content"]
    assert content["triage_requests"] == []
    assert content["screenings"] == []
    assert content["person"]["crn"] == "A000001"  # who they are is not a dated record
    assert disclosures()[-1].detail == f"JSON, the start to {today - timedelta(days=400)}"


def test_nothing_held_is_204_and_still_logged(oidc_provider, call):
    response = call(oidc_provider.client_credentials_token(), crn="Z999999")
    assert response.status_code == 204
    assert response.content == b""
    [entry] = disclosures()
    assert entry.person_crn == ""
    assert "hmpps-sar" in entry.recipient


def test_a_prison_number_alone_is_209(oidc_provider, call):
    response = call(oidc_provider.client_credentials_token(), prn="A1234BC")
    assert response.status_code == 209
    assert disclosures() == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"crn": "12345"},
        {"crn": "A000001", "fromDate": "2024-02-30"},
        {"crn": "A000001", "toDate": "yesterday"},
        {"crn": "A000001", "fromDate": "2024-03-01", "toDate": "2024-02-01"},
    ],
)
def test_bad_parameters_are_400(oidc_provider, call, params):
    response = call(oidc_provider.client_credentials_token(), **params)
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert disclosures() == []


def test_no_token_is_401(oidc_provider, call):
    response = call(crn="A000001")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_data_protection_officer_without_a_token_is_401(oidc_provider, contract):
    client = sign_in_verified(Client(), UserFactory(roles=[Role.DATA_PROTECTION_OFFICER]))
    assert client.get(URL, {"crn": "A000001"}).status_code == 401


def test_a_token_without_the_role_is_403(oidc_provider, call, triage_world):
    response = call(oidc_provider.client_credentials_token(OTHER_CLIENT), crn="A000001")
    assert response.status_code == 403
    assert "ROLE_SAR_DATA_ACCESS" in response.json()["userMessage"]
    assert disclosures() == []


def test_an_expired_token_is_401(oidc_provider, call):
    token = oidc_provider.client_credentials_token()
    with time_machine.travel(timedelta(hours=1)):  # the provider's tokens last ten minutes
        assert call(token, crn="A000001").status_code == 401


def forged(provider, **changes) -> str:
    """A token shaped like the provider's, signed with a key the provider never had."""
    real = jwt.decode(provider.client_credentials_token(), options={"verify_signature": False})
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = changes.pop("kid", "test-key-1")
    return jwt.encode({**real, **changes}, key, algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize("kid", ["test-key-1", "a-key-the-provider-never-published"])
def test_a_token_signed_by_another_key_is_401(oidc_provider, call, kid):
    assert call(forged(oidc_provider, kid=kid), crn="A000001").status_code == 401


def test_another_audience_or_issuer_is_401(oidc_provider, call, settings):
    token = oidc_provider.client_credentials_token()
    settings.SAR_API_AUDIENCE = "urn:another-service"
    assert call(token, crn="A000001").status_code == 401
    settings.SAR_API_AUDIENCE = SAR_AUDIENCE
    unsigned = jwt.decode(token, options={"verify_signature": False})
    assert unsigned["aud"] == SAR_AUDIENCE
    assert call(token, crn="A000001").status_code == 204


def test_the_keys_can_come_from_a_given_address_without_discovery(
    oidc_provider, call, settings, monkeypatch
):
    settings.SAR_API_JWKS_URL = f"{oidc_provider.issuer}/jwks"

    def no_discovery(*args, **kwargs):
        raise openid.ProviderUnavailable("no discovery document here")

    monkeypatch.setattr("complexcases.core.sar_api.provider_metadata", no_discovery)
    assert call(oidc_provider.client_credentials_token(), crn="Z999999").status_code == 204
    settings.SAR_API_JWKS_URL = ""
    assert call(oidc_provider.client_credentials_token(), crn="Z999999").status_code == 401


def test_keys_are_cached_and_fetched_again_for_a_new_key_id(oidc_provider, call, monkeypatch):
    fetched = []
    real_fetch = jwt.PyJWKClient.fetch_data
    monkeypatch.setattr(
        jwt.PyJWKClient, "fetch_data", lambda self: fetched.append(1) or real_fetch(self)
    )
    token = oidc_provider.client_credentials_token()
    assert call(token, crn="Z999999").status_code == 204
    assert call(token, crn="Z999999").status_code == 204
    assert len(fetched) == 1
    # The provider rotated its keys: the cache holds only an old one, so the new kid is fetched.
    jwks_url = openid.provider_metadata(oidc_provider.issuer)["jwks_uri"]
    old = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stale = jwt.PyJWKSet.from_dict(
        {
            "keys": [
                {**jwt.algorithms.RSAAlgorithm.to_jwk(old.public_key(), as_dict=True), "kid": "old"}
            ]
        }
    )
    keys = openid._key_clients[jwks_url]
    keys.jwk_set_cache.put(stale)
    # PyJWT refetches for an unknown kid at most every 30 seconds (forged kids cannot flood
    # the provider): say the last fetch was an hour ago rather than wait.
    keys._last_successful_fetch = time.monotonic() - 3600
    assert call(token, crn="Z999999").status_code == 204
    assert len(fetched) == 2


def test_the_openapi_document_is_served_and_valid(client):
    from openapi_spec_validator import validate

    response = client.get(reverse("sar-api-openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    validate(response.json())
    assert "/subject-access-request" in response.json()["paths"]
