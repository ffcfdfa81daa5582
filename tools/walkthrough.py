"""Click through a running Complex Cases (e.g. `make run`) as each demo user, in headless Chromium.

Saves a screenshot of each page and runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on it, the way a
new user would see the service. Usage, with the service running:

    .venv/bin/python tools/walkthrough.py --url http://127.0.0.1:8000 --out docs/screenshots
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo-pathway-2026"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# (demo email, [(screenshot name, path or link text to click)])
JOURNEYS = [
    (
        "practitioner@example.com",
        [("practitioner-home", "/"), ("practitioner-monthly-list", "/cases/")],
    ),
    (
        "case.admin@example.com",
        [("case-admin-import", "/extracts/upload"), ("case-admin-list", "/cases/")],
    ),
    (
        "programme.manager@example.com",
        [
            ("programme-manager-triage-queue", "/triage/"),
            ("programme-manager-panel-sessions", "/panel/"),
            ("programme-manager-ready-for-panel", "/panel/ready/"),
        ],
    ),
    ("qdo@example.com", [("qdo-follow-ups", "/follow-ups/?show=all")]),
    ("opd.clinician@example.com", [("opd-clinician-caseload", "/joint-case-work/")]),
    ("panel.member@example.com", [("panel-member-sessions", "/panel/")]),
    (
        "head.of.service@example.com",
        [("head-of-service-home", "/"), ("head-of-service-dashboard", "/dashboard/")],
    ),
    ("spo@example.com", [("spo-team-actions", "/actions/?scope=team")]),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "walkthrough"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
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
        for email, pages in JOURNEYS:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            page.goto(f"{args.url}/sign-in")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{args.url}/")
            for name, target in pages:
                page.goto(args.url + target)
                if name == "practitioner-monthly-list":
                    page.locator("table tbody tr a").first.click()
                    page.wait_for_load_state()
                    page.screenshot(path=str(out / "practitioner-person.png"), full_page=True)
                    page.go_back()
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                page.evaluate(AXE.read_text())
                violations = page.evaluate(
                    "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
                    TAGS,
                )
                print(f"{email:32} {target:20} {page.title():60} axe: {len(violations)}")
                for violation in violations:
                    print("    ", violation)
                failures += len(violations)
            context.close()
        browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
