"""A real OpenID provider for the tests: tests/oidc/provider.mjs (npm's oidc-provider) under Node.

Started once per redirect address (the test client's, the live server's) and stopped at the
end of the session. Outside CI a machine without Node or `npm ci` skips these tests.
"""

import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
SAR_AUDIENCE = "urn:complexcases:subject-access-request"
TEST_CLIENT_CALLBACK = "http://testserver/oidc/callback/"
CLIENT_ID, CLIENT_SECRET = "complex-cases", "complex-cases-secret"
# Client-credentials clients: HMPPS's subject access request service, and one without its role.
SAR_CLIENT = ("hmpps-sar", "hmpps-sar-secret")
OTHER_CLIENT = ("other-service", "other-service-secret")
ROLE_MAP = {
    "cc-practitioner": "Probation practitioner",
    "cc-dpo": "Data protection officer",
    "cc-programme-manager": "Programme manager",
}


class LocalProvider:
    def __init__(self, redirect_uris: list[str]):
        self.folder = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        self.users_file = self.folder / "users.json"
        self.set_users({})
        config = self.folder / "config.json"
        config.write_text(
            json.dumps(
                {
                    "redirect_uris": redirect_uris,
                    "users_file": str(self.users_file),
                    "sar_audience": SAR_AUDIENCE,
                }
            )
        )
        self.process = subprocess.Popen(
            [shutil.which("node") or "node", str(SCRIPT), str(config)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=(self.folder / "stderr.log").open("w"),
            text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            raise RuntimeError(
                "the OpenID provider did not start: " + (self.folder / "stderr.log").read_text()
            )
        self.issuer = json.loads(line)["issuer"]

    def set_users(self, users: dict) -> None:
        """The provider's users, by login name, with the claims it asserts about each."""
        self.users_file.write_text(json.dumps(users))

    def client_credentials_token(self, client=SAR_CLIENT) -> str:
        """A token from the provider's token endpoint for a client (id, secret) of tests/oidc/provider.mjs."""
        response = requests.post(
            f"{self.issuer}/token",
            data={"grant_type": "client_credentials"},
            auth=client,
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


class _FormAction(HTMLParser):
    action = None

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.action = dict(attrs).get("action")


def sign_in_at_provider(authorization_url: str, login: str, callback_prefix: str) -> str:
    """Follow the provider's pages as a browser would, as `login`; return the callback URL it sends back."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200:  # the sign-in page: give the login name
            form = _FormAction()
            form.feed(response.text)
            response = browser.post(
                urljoin(url, form.action), data={"login": login}, allow_redirects=False, timeout=10
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
        if url.startswith(callback_prefix):
            return url
    raise AssertionError("the provider never sent the browser back")


@pytest.fixture(scope="session")
def oidc_providers():
    """Start providers on demand, one per redirect address; stop them all at the end."""
    if not shutil.which("node") or not (ROOT / "node_modules" / "oidc-provider").exists():
        message = "Node and `npm ci` (oidc-provider) are needed for the OpenID Connect tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    started: dict[str, LocalProvider] = {}

    def provider_for(callback: str) -> LocalProvider:
        if callback not in started:
            started[callback] = LocalProvider([callback])
        return started[callback]

    yield provider_for
    for provider in started.values():
        provider.stop()


def use_provider(settings, provider: LocalProvider, **overrides) -> None:
    """Point single sign-on and the subject access request API at the provider."""
    from complexcases.core.openid import forget_providers

    forget_providers()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile complexcases"
    settings.OIDC_STAFF_CODE_CLAIM = "staff_code"
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.SAR_API_ISSUER = provider.issuer
    settings.SAR_API_AUDIENCE = SAR_AUDIENCE
    for name, value in overrides.items():
        setattr(settings, name, value)


@pytest.fixture
def oidc_provider(oidc_providers, settings):
    """The provider the test client's sign-ins and tokens come from, with the service pointed at it."""
    provider = oidc_providers(TEST_CLIENT_CALLBACK)
    use_provider(settings, provider)
    yield provider
    provider.set_users({})
