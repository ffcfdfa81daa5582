"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, plus axe-core."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's best-practice rules besides (landmarks, heading order, one main, …): the sweep runs them.
SWEEP_TAGS = [*WCAG_TAGS, "best-practice"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail(f"No Chromium at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip(f"No Chromium at {CHROMIUM} (install Debian's chromium to run browser tests)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def axe_violations(page, tags=WCAG_TAGS) -> list[dict]:
    """Run axe-core with the WCAG 2.0/2.1/2.2 A and AA rules (or `tags`); return the violations.

    One finding is GOV.UK Frontend's by design: `aria-expanded` on a radio or checkbox that
    reveals a conditional question (alphagov/govuk-frontend#979, a documented known issue
    kept because screen readers announce it). It is dropped for those inputs only.
    """
    # Evaluated over the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))",
        tags,
    )
    reveal = (
        "(selector) => document.querySelector(selector)?.matches("
        "'.govuk-radios__input[aria-controls], .govuk-checkboxes__input[aria-controls]')"
    )
    for violation in violations:
        if violation["id"] == "aria-allowed-attr":
            violation["nodes"] = [n for n in violation["nodes"] if not page.evaluate(reveal, n)]
    return [v for v in violations if v["nodes"]]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
