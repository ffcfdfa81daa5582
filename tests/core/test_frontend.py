"""The front end as a person's browser receives it (issue #27, ADRs 0036 and 0037): one
stylesheet and one script built from the GOV.UK and MoJ Frontend packages, static files
hashed, compressed and cached for a year, pages compressed, the back link inside <main>."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from tests.auth import sign_in_verified
from tests.html import parse
from tests.triage_fixtures import a_request, next_week_at_10
from triage.services import triage_meeting_schedule

ROOT = Path(settings.BASE_DIR)
BUILT = ROOT / "frontend_root" / "static"
TEMPLATES = [ROOT / "templates", ROOT / "bench" / "templates"]
YEAR = "max-age=315360000"
# Classes in templates that are no component's: JavaScript hooks, states, the page frame.
NOT_COMPONENTS = {
    "govuk-frontend-supported",
    "govuk-js-service-navigation-toggle",
    "moj-crest-white",
}


def test_every_component_a_template_uses_is_in_the_built_stylesheet():
    css = (BUILT / "css" / "service.css").read_text()
    used = set()
    for folder in TEMPLATES:
        for template in folder.rglob("*.html"):
            classes = re.findall(r"\b(?:govuk|moj)-[a-z0-9-]+", template.read_text())
            used |= {name.split("--")[0].rstrip("-") for name in classes}
    missing = {name for name in used - NOT_COMPONENTS if f".{name}" not in css}
    assert missing == set()
    # …and components no page uses are left out.
    for unused in (
        ".govuk-accordion__",
        ".govuk-header__",
        ".govuk-cookie-banner__",
        ".moj-banner__",
    ):
        assert unused not in css
    assert "@font-face" in css
    # No absolute /assets/ URLs: fonts and images sit beside the CSS, so get hashed names.
    assert not re.search(r"url\([\"']?/", css)


def test_the_script_starts_only_the_components_that_need_javascript():
    script = (BUILT / "js" / "service.mjs").read_text()
    assert "govuk-service-navigation" in script
    assert "govuk-accordion" not in script
    # Of MoJ Frontend, only the filter's show/hide button (the monthly list's filter on a phone).
    assert "moj-filter" in script
    assert "moj-multi-select" not in script
    assert "moj-sortable-table" not in script
    assert not re.search(r"^\s*import\b", script, re.MULTILINE), "bundled: no imports left"


def test_the_crests_are_optimised():
    for name, limit in (("moj-crest-white.svg", 20_000), ("govuk-crest.svg", 25_000)):
        svg = (BUILT / "assets" / "images" / name).read_text()
        assert svg.startswith("<svg"), name
        assert len(svg) < limit, (name, len(svg))


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as a deployment runs it (hashed names, gzip and Brotli copies)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}},
    ):  # fmt: skip
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def served(collected, path, **headers):
    """A request to WhiteNoise as it runs with DEBUG off, serving collectstatic's files."""
    with override_settings(
        STATIC_ROOT=collected, DEBUG=False, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}},
    ):  # fmt: skip
        middleware = WhiteNoiseMiddleware(lambda request: pytest.fail(f"{path} not a static file"))
        from django.test import RequestFactory

        return middleware(RequestFactory().get(path, **headers))


def test_static_files_are_hashed_compressed_and_cached_for_a_year(collected):
    manifest = (collected / "staticfiles.json").read_text()
    css_name = re.search(r'"css/service.css": "([^"]+)"', manifest).group(1)
    css = served(collected, f"/static/{css_name}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert css.status_code == 200
    assert css["Content-Encoding"] == "br"
    assert YEAR in css["Cache-Control"]
    assert "immutable" in css["Cache-Control"]
    assert "Accept-Encoding" in css["Vary"]
    # The stylesheet's fonts and images have hashed names too, so they are cached as long.
    text = (collected / css_name).read_text()
    font = re.search(
        r'url\("\.\./(assets/fonts/bold-b542beb274-v2\.[0-9a-f]{12}\.woff2)"\)', text
    ).group(1)
    assert YEAR in served(collected, f"/static/{font}")["Cache-Control"]
    script_name = re.search(r'"js/service.mjs": "([^"]+)"', manifest).group(1)
    script = served(collected, f"/static/{script_name}", HTTP_ACCEPT_ENCODING="gzip")
    assert script["Content-Encoding"] == "gzip"
    assert YEAR in script["Cache-Control"]


@pytest.mark.django_db
def test_pages_link_the_hashed_files(collected, practitioner_client):
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}},
    ):  # fmt: skip
        page = parse(practitioner_client.get("/"))
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert len(stylesheets) == 1
    assert re.fullmatch(r"/static/css/service\.[0-9a-f]{12}\.css", stylesheets[0])
    scripts = [script["src"] for script in page.select("script[src]")]
    assert any(re.fullmatch(r"/static/js/service\.[0-9a-f]{12}\.mjs", src) for src in scripts), (
        scripts
    )
    assert re.fullmatch(r"/static/assets/images/moj-crest-white\.[0-9a-f]{12}\.svg", page.select_one(".moj-header__logotype-crest")["src"])  # fmt: skip


@pytest.mark.django_db
def test_pages_are_compressed_for_a_browser_that_accepts_gzip(practitioner_client):
    response = practitioner_client.get("/cases/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Monthly list" in gzip.decompress(response.content).decode()
    assert "no-store" in response["Cache-Control"]  # still never cached


@pytest.mark.django_db
def test_the_back_link_is_inside_the_main_landmark(triage_world):
    client = sign_in_verified(Client(), triage_world["priya"])
    request = a_request(triage_world)
    page = parse(client.get(f"/triage/{request.pk}/"))
    back = page.select(".govuk-back-link")
    assert back, "the triage request page has a back link"
    assert all(link.find_parent("main") is not None for link in back)


@pytest.mark.django_db
def test_the_person_timeline_has_no_empty_description(triage_world):
    request = a_request(triage_world)
    triage_meeting_schedule(
        request=request, starts_at=next_week_at_10(), duration_minutes=45,
        invitees=[(triage_world["spo"], "SPO")], external_invitees=[], by=triage_world["admin"],
    )  # fmt: skip
    client = sign_in_verified(Client(), triage_world["priya"])
    page = parse(client.get("/people/A000001/"))
    items = {
        item.select_one(".moj-timeline__title").get_text(strip=True): item
        for item in page.select(".moj-timeline__item")
    }
    assert "Triage meeting" in items
    assert items["Triage meeting"].select(".moj-timeline__description") == []
    for item in page.select(".moj-timeline__description"):
        assert item.get_text(strip=True), item
