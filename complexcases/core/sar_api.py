"""The HMPPS subject access request API: `GET /subject-access-request` (ADR 0030).

HMPPS's subject access request service calls every service with an OAuth2
client-credentials JWT and a person's identifiers; each answers with everything it holds
about them in the period. This is a thin adapter over the report the DPO produces
(`subject_access_report`), with staff names in (the convention), and the HMPPS statuses:
200 `{"content": …}`, 204 nothing held, 209 only a prn (this service keys people by CRN),
400 bad parameters, 401 no valid token, 403 no ROLE_SAR_DATA_ACCESS. A session sign-in is
never enough: only a token is read. Every answer about a CRN is a disclosure in the access log.
"""

import datetime
import json
import logging
import re
from pathlib import Path

import jwt
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .access_log import Action, access_log_record
from .openid import ProviderUnavailable, provider_metadata, signing_key

logger = logging.getLogger("complexcases.sar_api")
OPENAPI_DOCUMENT = Path(__file__).parent / "openapi" / "subject-access-request.json"
CRN = re.compile(r"^[A-Z][0-9]{6}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse(
        {"status": status, "userMessage": message, "developerMessage": message}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="subject-access-request"'
    return response


def sar_client(request) -> str:
    """The calling client's id, from a valid bearer token carrying the role (else Refused)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or not settings.SAR_API_ISSUER:
        raise Refused(401, "A bearer token is needed")
    try:
        jwks_url = (
            settings.SAR_API_JWKS_URL or provider_metadata(settings.SAR_API_ISSUER)["jwks_uri"]
        )
        claims = jwt.decode(
            token.strip(),
            signing_key(token.strip(), jwks_url),
            algorithms=["RS256", "ES256"],
            audience=settings.SAR_API_AUDIENCE,
            issuer=settings.SAR_API_ISSUER,
            options={"require": ["exp", "iat", "iss", "aud"]},
        )
    except (jwt.PyJWTError, ProviderUnavailable, KeyError) as error:
        logger.warning("Subject access request API: token refused: %s", error)
        raise Refused(401, "The token is not valid") from error
    client = str(claims.get("client_id") or claims.get("azp") or claims.get("sub") or "?")
    authorities = claims.get("authorities") or claims.get("roles") or []
    if settings.SAR_API_ROLE not in authorities:
        logger.warning(
            "Subject access request API: client %s lacks %s", client, settings.SAR_API_ROLE
        )
        raise Refused(403, f"The token does not carry {settings.SAR_API_ROLE}")
    return client


def _date(request, name: str) -> datetime.date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise Refused(400, f"{name} must be a date like 2024-01-31") from error


def _dates_of(item: dict) -> list[datetime.date]:
    dates = []
    for value in item.values():
        if isinstance(value, str) and ISO_DATE.match(value):
            try:
                dates.append(datetime.date.fromisoformat(value[:10]))
            except ValueError:
                continue
    return dates


def within_period(report: dict, start: datetime.date | None, end: datetime.date | None) -> dict:
    """Keep the records with a date in the period (or none at all); the person's own details stay."""

    def kept(item) -> bool:
        dates = _dates_of(item) if isinstance(item, dict) else []
        return not dates or any(
            (start is None or day >= start) and (end is None or day <= end) for day in dates
        )

    return {
        key: [item for item in value if kept(item)] if isinstance(value, list) else value
        for key, value in report.items()
    }


@require_GET
def subject_access_request(request):
    """Everything held about a person (by CRN) in a period, for HMPPS's subject access request service."""
    from complexcases.people.models import Person

    from .subject_access import subject_access_report

    try:
        client = sar_client(request)
        crn = request.GET.get("crn", "").strip().upper()
        prn = request.GET.get("prn", "").strip()
        start, end = _date(request, "fromDate"), _date(request, "toDate")
        if not crn and prn:
            return _error(209, "This service holds people by CRN, not by prison number")
        if not CRN.match(crn):
            raise Refused(400, "crn must be one letter and six digits, like X123456")
        if start and end and start > end:
            raise Refused(400, "fromDate must be on or before toDate")
    except Refused as refused:
        return _error(refused.status, str(refused))

    person = Person.objects.select_related("pdu", "practitioner").filter(crn=crn).first()
    period = f"{start or 'the start'} to {end or 'today'}"
    recipient = f"HMPPS subject access request service, client {client}"
    with transaction.atomic():
        if person is None:
            access_log_record(
                user=None,
                action=Action.DISCLOSURE,
                record_type="subject access request API",
                detail=f"Nothing held for the CRN asked for ({period})",
                recipient=recipient,
            )
            return HttpResponse(status=204)
        content = within_period(
            subject_access_report(person=person, redact_staff=False), start, end
        )
        access_log_record(
            user=None,
            action=Action.DISCLOSURE,
            record_type="subject access request API",
            person=person,
            detail=f"JSON, {period}",
            recipient=recipient,
        )
    return JsonResponse({"content": content})


@require_GET
def openapi_document(request):
    """The OpenAPI description of the subject access request API."""
    return HttpResponse(OPENAPI_DOCUMENT.read_bytes(), content_type="application/json")


def openapi_spec() -> dict:
    return json.loads(OPENAPI_DOCUMENT.read_text())
