"""An OpenID provider's published metadata and signing keys, fetched once and cached.

Shared by single sign-on (complexcases.organisation.oidc) and the subject access request
API's token check (complexcases.core.sar_api). Keys are cached per JWKS address; a token
signed with a key id the cache does not hold makes one refetch (the provider rotated its
keys), after which an unknown key id is refused.
"""

import threading
import time

import jwt
import requests
from django.conf import settings

_lock = threading.Lock()
_metadata: dict[str, tuple[float, dict]] = {}
_key_clients: dict[str, jwt.PyJWKClient] = {}
METADATA_SECONDS = 60 * 60


class ProviderUnavailable(Exception):
    """The provider's metadata or keys could not be fetched."""


def provider_metadata(issuer: str, url: str = "") -> dict:
    """The provider's discovery document, cached for an hour.

    At `url`, or by default at the issuer's `/.well-known/openid-configuration` (some providers,
    HMPPS Auth among them, publish it elsewhere).
    """
    now = time.monotonic()
    url = url or issuer.rstrip("/") + "/.well-known/openid-configuration"
    with _lock:
        cached = _metadata.get(url)
    if cached and now - cached[0] < METADATA_SECONDS:
        return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"Could not read {url}: {error}") from error
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(f"{url} names the issuer {document.get('issuer')!r}")
    with _lock:
        _metadata[url] = (now, document)
    return document


def signing_key(token: str, jwks_url: str) -> jwt.PyJWK:
    """The key that signed the token, from the provider's JWKS (refetched once for a new key id)."""
    with _lock:
        client = _key_clients.get(jwks_url)
        if client is None:
            client = _key_clients[jwks_url] = jwt.PyJWKClient(
                jwks_url,
                cache_jwk_set=True,
                lifespan=METADATA_SECONDS,
                timeout=settings.OIDC_TIMEOUT,
            )
    return client.get_signing_key_from_jwt(token)


def forget_providers() -> None:
    """Drop every cached document and key set (tests start providers with new keys)."""
    with _lock:
        _metadata.clear()
        _key_clients.clear()
