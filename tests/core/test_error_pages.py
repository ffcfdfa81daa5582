"""The rough edges around the pages: error pages in local runs, the Django admin, SITE_URL."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse

from tests.html import h1, parse

pytestmark = pytest.mark.django_db


def test_a_local_run_shows_the_service_404_not_the_debug_page(settings, practitioner_client):
    """With DEBUG on (make run), an unknown page and a person out of reach are the service's 404."""
    settings.DEBUG = True
    for path in ("/no-such-page", reverse("people:person", kwargs={"crn": "Z999999"})):
        response = practitioner_client.get(path)
        assert response.status_code == 404
        assert h1(response) == "Page not found", path
        assert "URLconf" not in response.content.decode()


def test_developers_can_ask_for_the_debug_404(settings, practitioner_client):
    """DEBUG_ERROR_PAGES brings back Django's technical 404 page."""
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = True
    response = practitioner_client.get("/no-such-page")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_a_local_run_shows_the_service_403(settings, practitioner_client):
    settings.DEBUG = True
    response = practitioner_client.get(reverse("organisation:pdu-list"))
    assert response.status_code == 403
    assert h1(response) == "You do not have access to this page"


@pytest.mark.parametrize(
    "path", ["/django-admin/", "/django-admin/login/", "/django-admin/organisation/user/"]
)
def test_the_django_admin_refuses_staff_without_admin_rights(path, practitioner_client):
    """A signed-in member of staff who is not a system administrator gets the service's 403."""
    response = practitioner_client.get(path)
    assert response.status_code == 403
    assert h1(response) == "You do not have access to this page"
    assert "ask your line manager or a system administrator" in parse(response).get_text()


def test_the_django_admin_opens_for_a_system_administrator(system_admin_client):
    response = system_admin_client.get("/django-admin/")
    assert response.status_code == 200
    assert "Site administration" in response.content.decode()


def test_the_django_admin_sends_the_signed_out_to_the_service_sign_in(client):
    """Sign in through the service (two-factor, lockouts), never the admin's own form."""
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=/django-admin/"
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Django administration" not in response.content.decode()


def _devstack():
    path = Path(__file__).resolve().parents[2] / "tools" / "devstack.py"
    spec = importlib.util.spec_from_file_location("devstack", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_run_points_emailed_links_at_its_own_port():
    """SITE_URL follows the port `make run` serves on, unless it is set."""
    devstack = _devstack()
    assert devstack.run_environment({}, 8123)["SITE_URL"] == "http://127.0.0.1:8123"
    assert devstack.run_environment({"SITE_URL": ""}, 8123)["SITE_URL"] == "http://127.0.0.1:8123"
    chosen = {"SITE_URL": "https://example.test"}
    assert devstack.run_environment(chosen, 8123)["SITE_URL"] == "https://example.test"
