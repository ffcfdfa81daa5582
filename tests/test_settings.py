"""Production settings: refuse to start without secrets; pass Django's deploy checks."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "complexcases.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "complex-cases.example.gov.uk",
    "DATABASE_URL": "postgres://complexcases@db.invalid:5432/complexcases",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def manage(
    *args: str, without: tuple[str, ...] = (), **overrides: str
) -> subprocess.CompletedProcess:
    # conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never would.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update({k: v for k, v in PRODUCTION.items() if k not in without})
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def python_with_production_settings(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_passes_the_deploy_checks_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    result = manage("check", without=(missing,))
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_cookies_and_transport_are_locked_down():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    result = python_with_production_settings(script)
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "Europe/London",
        "en-gb",
    ]


def test_the_wsgi_application_loads_every_view_and_keeps_them_out_of_full_collections():
    """A full garbage collection over start-up's objects cost ~70 ms every ~120 requests."""
    script = (
        "import gc, sys; import complexcases.wsgi; "
        "print(gc.get_freeze_count() > 10000, 'panel.views' in sys.modules, "
        "'complexcases.reporting.views' in sys.modules)"
    )
    result = python_with_production_settings(script)
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_a_host_outside_allowed_hosts_is_a_plain_400_logged_as_a_warning():
    """Under production settings Django drew the 400 page with the request, asked for the host
    again, and answered 500 with an ERROR and a traceback."""
    script = (
        "import django; django.setup(); from django.test import Client, override_settings; "
        # The hashed static files' manifest is built by collectstatic, in the image only.
        "plain = {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}; "
        "override_settings(STORAGES={'default': plain, 'staticfiles': plain}).enable(); "
        "r = Client(raise_request_exception=False).get('/', HTTP_HOST='evil.example', secure=True); "
        "print(r.status_code, r['Permissions-Policy'].split(',')[0]); "
        "print(r.content.decode())"
    )
    result = python_with_production_settings(script)
    status, page = result.stdout.split("\n", 1)
    assert status == "400 accelerometer=()"
    assert "Sorry, the service could not read what was sent" in page
    # Production logs one JSON object a line (ADR 0034).
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(
        entry["logger"] == "django.security.DisallowedHost"
        and entry["level"] == "WARNING"
        and "Invalid HTTP_HOST header: 'evil.example'" in entry["message"]
        for entry in logged
    ), result.stderr
    assert [entry for entry in logged if entry["level"] in ("ERROR", "CRITICAL")] == []
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stderr


def test_production_takes_the_client_address_from_the_one_load_balancer():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_PROXY_ORDER, "
        "s.IPWARE_STRICT, s.REQUEST_ID_FROM_PROXY, s.AXES_IPWARE_META_PRECEDENCE_ORDER[0]); "
        "import ipware, axes.helpers; print(axes.helpers.IPWARE_INSTALLED)"
    )
    result = python_with_production_settings(script)
    assert result.stdout.split() == [
        "1", "0", "left-most", "False", "False", "HTTP_X_FORWARDED_FOR", "True",
    ]  # fmt: skip
