"""The page frame, the home page and the error pages, climbing the view-test ladder."""

import pytest
from django.test import override_settings
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from complexcases.settings.base import proxy_settings
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.html import h1, navigation, parse, title

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_visitors_to_sign_in(client):
    """Anonymous → the sign-in page, remembering where they were going."""
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_home_tells_a_person_with_no_role_to_ask_for_one(no_role_client):
    response = no_role_client.get(reverse("home"))
    assert response.status_code == 200
    assert "Your account has no role yet" in parse(response).get_text()
    assert navigation(response) == ["Home"]


@pytest.mark.parametrize(
    ("fixture", "role", "expected_sections"),
    [
        (
            "practitioner_client",
            Role.PROBATION_PRACTITIONER,
            [
                "Monthly list",
                "Triage",
                "Joint case work",
                "My actions",
                "Dashboard",
                "Learning log",
            ],
        ),
        (
            "case_admin_client",
            Role.CASE_ADMINISTRATOR,
            [
                "Monthly list",
                "Triage",
                "Joint case work",
                "My actions",
                "Follow-ups",
                "Panel",
                "Dashboard",
                "Learning log",
                "Import extract",
                "Organisation",
            ],
        ),
        (
            "head_of_service_client",
            Role.HEAD_OF_SERVICE,
            [
                "Monthly list",
                "Joint case work",
                "My actions",
                "Dashboard",
                "Outcomes",
                "Learning log",
                "Organisation",
            ],
        ),
        ("panel_member_client", Role.PANEL_MEMBER, ["My actions", "Panel", "Learning log"]),
        (
            "system_admin_client",
            Role.SYSTEM_ADMINISTRATOR,
            ["Learning log", "Organisation", "Staff", "Role changes"],
        ),
    ],
)
def test_home_shows_each_role_only_its_own_work(request, fixture, role, expected_sections):
    """The navigation and the home page's sections follow the role's permissions."""
    response = request.getfixturevalue(fixture).get(reverse("home"))
    assert response.status_code == 200
    assert h1(response).startswith("Welcome, ")
    assert role.lower() in parse(response).select_one("main").get_text()
    assert navigation(response) == ["Home", *expected_sections]
    section_links = [a.get_text(strip=True) for a in parse(response).select(".cc-section-list a")]
    assert section_links == expected_sections


def test_home_refuses_a_post(practitioner_client):
    assert practitioner_client.post(reverse("home")).status_code == 405


def test_page_frame_has_skip_link_header_footer_and_one_h1(practitioner_client, practitioner_user):
    response = practitioner_client.get(reverse("home"))
    soup = parse(response)
    assert soup.select_one("a.govuk-skip-link")["href"] == "#main-content"
    assert soup.select_one("main#main-content") is not None
    assert soup.select_one("header.moj-header") is not None
    footer_links = [a.get_text(strip=True) for a in soup.select("footer a")]
    assert "Accessibility statement" in footer_links
    assert "Privacy notice" in footer_links
    assert practitioner_user.get_full_name() in soup.select_one("header").get_text()
    assert soup.html["lang"] == "en-GB"
    assert title(response) == "Home – Complex Cases"


def test_the_inline_script_carries_the_csp_nonce(practitioner_client):
    response = practitioner_client.get(reverse("home"))
    inline = parse(response).select_one("body > script:not([src])")
    nonce = inline["nonce"]
    assert nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "style-src 'self'",
    ):
        assert directive in policy


def test_pages_are_not_cached_and_carry_a_request_id(practitioner_client):
    response = practitioner_client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store"
    assert len(response["X-Request-Id"]) == 32
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def dpo_client(client):
    return sign_in_verified(client, UserFactory(roles=[Role.DATA_PROTECTION_OFFICER]))


def test_a_request_id_sent_by_the_client_is_not_written_to_the_access_log(dpo_client):
    """Without a trusted proxy that sets it, the sender would choose the audit row's request id."""
    response = dpo_client.get(
        reverse("access-log-export"), {"crn": "A000001"}, HTTP_X_REQUEST_ID="chosen-by-the-client"
    )
    assert response.status_code == 200
    assert response["X-Request-Id"] != "chosen-by-the-client"
    export = AccessLogEntry.objects.get(record_type="access log export")
    assert export.request_id == response["X-Request-Id"]


@override_settings(**{**proxy_settings(1), "REQUEST_ID_FROM_PROXY": True})
def test_the_trusted_proxys_request_id_is_kept(dpo_client):
    response = dpo_client.get(
        reverse("access-log-export"), {"crn": "A000001"}, HTTP_X_REQUEST_ID="abcdef12-3456"
    )
    assert response["X-Request-Id"] == "abcdef12-3456"
    assert AccessLogEntry.objects.get(record_type="access log export").request_id == "abcdef12-3456"


@override_settings(**{**proxy_settings(1), "REQUEST_ID_FROM_PROXY": True})
def test_a_malformed_request_id_is_replaced(client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-Id"] != "<script>"
    assert len(response["X-Request-Id"]) == 32


def test_only_a_proxy_can_be_trusted_with_the_request_id():
    assert proxy_settings(0)["REQUEST_ID_FROM_PROXY"] is False


@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page", "/sign-in"])
def test_every_response_switches_off_browser_features_the_service_never_uses(client, path):
    policy = dict(
        item.strip().split("=", 1) for item in client.get(path)["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert policy[feature] == "()"
    assert set(policy.values()) == {"()"}


def test_unknown_page_is_a_govuk_404(practitioner_client):
    response = practitioner_client.get("/no-such-page")
    assert response.status_code == 404
    assert h1(response) == "Page not found"
    assert title(response) == "Page not found – Complex Cases"


def test_wrong_role_gets_the_govuk_403_page(practitioner_client):
    response = practitioner_client.get(reverse("organisation:pdu-list"))
    assert response.status_code == 403
    assert h1(response) == "You do not have access to this page"
    assert "ask your line manager or a system administrator" in parse(response).get_text()


def test_csrf_failure_is_explained_in_plain_english(db, practitioner_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert h1(response) == "Your form could not be sent"


def test_server_error_page_renders_without_a_request(client):
    from complexcases.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("accessibility", "Accessibility statement for Complex Cases"),
        ("privacy", "Privacy notice"),
    ],
)
def test_footer_pages_are_open_to_everyone(client, url_name, heading):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert h1(response) == heading


def test_healthz_reports_database_and_worker_without_personal_data(client):
    from complexcases.core.services import worker_heartbeat_record

    assert client.get(reverse("healthz")).json() == {
        "database": "ok",
        "worker_last_seen_seconds": None,
        "worker": "not seen",
    }
    worker_heartbeat_record(worker="worker@test")
    body = client.get(reverse("healthz")).json()
    assert body["worker"] == "ok"
    assert body["worker_last_seen_seconds"] < 5


def test_front_end_assets_are_served_where_the_css_expects_them(client):
    """The built stylesheet asks for ../assets/fonts/… beside it, under /static/."""
    css = client.get("/static/css/service.css")
    assert css.status_code == 200
    assert b'url("../assets/fonts/bold-b542beb274-v2.woff2")' in b"".join(css.streaming_content)
    font = client.get("/static/assets/fonts/bold-b542beb274-v2.woff2")
    assert font.status_code == 200
    crest = client.get("/static/assets/images/moj-crest-white.svg")
    assert crest.status_code == 200
    assert b'fill="#fff"' in b"".join(crest.streaming_content)
    script = client.get("/static/js/service.mjs")
    assert b"govuk-service-navigation" in b"".join(
        script.streaming_content if script.streaming else [script.content]
    )


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "people:search", {"q": "Smith\x00"}),
        ("post", "screening:monthly-list", {"q": "\x00"}),
        ("get", "screening:monthly-list", {"pdu": "\x00"}),
        ("get", "reporting:dashboard", {"region": "A\x00"}),
        ("post", "people:search", {"q\x00": "Smith"}),
    ],
)
def test_a_nul_character_is_refused_with_a_govuk_400_before_any_view(
    practitioner_client, method, url, data, caplog
):
    """PostgreSQL cannot compare a NUL: without the refusal these were server errors."""
    from complexcases.core.models import AccessLogEntry

    before = AccessLogEntry.objects.count()
    response = getattr(practitioner_client, method)(reverse(url), data)
    assert response.status_code == 400
    assert h1(response) == "Sorry, the service could not read what was sent"
    assert "Nothing was saved" in parse(response).get_text()
    assert AccessLogEntry.objects.count() == before  # no view ran, nothing was consulted
    assert any(r.name == "django.security.NulCharacterInRequest" for r in caplog.records)


def test_a_nul_in_the_path_is_refused_with_400(practitioner_client):
    assert practitioner_client.get("/people/A%00000001/").status_code == 400
    assert practitioner_client.get(reverse("people:search"), {"q": "ok"}).status_code == 200


@pytest.mark.parametrize(
    ("fixture", "words"),
    [("opd_clinician_client", "OPD clinician"), ("qdo_client", "quality development officer")],
)
def test_home_names_the_role_in_words_people_use(request, fixture, words):
    """Mid-sentence roles are lower case, but an acronym keeps its capitals ("OPD clinician")."""
    text = " ".join(parse(request.getfixturevalue(fixture).get(reverse("home"))).get_text().split())
    assert f"You are signed in as {words}." in text
