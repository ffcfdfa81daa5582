"""Lighthouse (npm `lighthouse`, Debian's Chromium), mobile and desktop, on six pages a person
uses most: the monthly list, the person page, a triage request, the minutes, My actions and
a PDU's dashboard (issue #27, ADR 0036).

The server is production-like, as a person meets it: gunicorn, DEBUG off, the static files
collected with hashed names and compressed (BENCH_STATIC_ROOT), served by WhiteNoise with
their year-long cache headers; pages gzipped. Lighthouse is signed in through the session
cookie of a real sign-in. Mobile is Lighthouse's default: a mid-range phone on a slow 4G
connection, simulated (so a busy machine moves the figures little).

Targets (bench/run.py): accessibility and best practices 100 everywhere; performance 90
or better on mobile and 98 on desktop; layout shift at most 0.1, largest contentful paint at
most 2.5 s on mobile. Reports are kept in .local/bench/<scale>/lighthouse/.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from . import django_from_argv, emit

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / ".local" / "bench"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
FORMS = ("mobile", "desktop")


def targets() -> dict:
    """The pages benchmark's list, person, My actions and PDU dashboard, plus that person's
    newest triage request and the newest final minutes, each as a user who may open it."""
    from panel.models import PanelMinutes
    from triage.models import TriageRequest

    from .pages import targets as page_targets

    chosen = page_targets()
    pages = chosen["pages"]
    crn = pages["person_12_months"].split("/")[2]
    triage = TriageRequest.objects.filter(person__crn=crn).order_by("-pk").first()
    minutes = PanelMinutes.objects.filter(booking__person__crn=crn).order_by("-pk").first()
    minutes = minutes or PanelMinutes.objects.order_by("-pk").first()
    return {
        **chosen,
        "pages": {
            "monthly_list": pages["monthly_list_pdu"],
            "person": pages["person_12_months"],
            "triage_request": f"/triage/{triage.pk}/",
            "minutes": f"/panel/cases/{minutes.booking_id}/minutes/",
            "my_actions": pages["my_actions_spo_team"],
            "dashboard_pdu": pages["dashboard_pdu"],
        },
        "users": {"my_actions": chosen["users"]["my_actions_spo_team"]},
    }


def collect_static(url: str, root: Path) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--clear", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings",
             "BENCH_STATIC_ROOT": str(root)},
        check=True,
    )  # fmt: skip


# Lighthouse's own transient trace failures ("Something went wrong with recording the trace
# over your page load. Please run Lighthouse again. (NO_NAVSTART)") end a run on a busy
# 2-core machine; they say nothing about the page, so such a run is tried again.
TRANSIENT = ("Please run Lighthouse again", "NO_NAVSTART", "NO_FCP", "PROTOCOL_TIMEOUT")
ATTEMPTS = 3


def lighthouse(url: str, cookie: str, form: str, report: Path) -> dict:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return lighthouse_once(url, cookie, form, report)
        except LighthouseTransient as error:
            if attempt == ATTEMPTS:
                raise SystemExit(
                    f"lighthouse failed {ATTEMPTS} times on {url} ({form}): {error}"
                ) from error
            print(f"[lighthouse] {url} ({form}): {error}; trying again", flush=True)
    raise AssertionError("unreachable")


class LighthouseTransient(Exception):
    pass


def lighthouse_once(url: str, cookie: str, form: str, report: Path) -> dict:
    report.unlink(missing_ok=True)
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices",
        f"--chrome-flags={CHROME_FLAGS}", f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]  # fmt: skip
    if form == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0 or not report.exists():
        if any(marker in result.stderr for marker in TRANSIENT):
            raise LighthouseTransient(result.stderr[-500:].strip())
        raise SystemExit(f"lighthouse failed on {url} ({form}): {result.stderr[-3000:]}")
    lhr = json.loads(report.read_text())
    if lhr.get("runtimeError") and any(m in str(lhr["runtimeError"]) for m in TRANSIENT):
        raise LighthouseTransient(str(lhr["runtimeError"]))
    return summary(lhr)


def summary(lhr: dict) -> dict:
    """Scores (0–100) and the figures the issue names, from a Lighthouse result."""
    audits = lhr["audits"]
    requests = audits["network-requests"]["details"]["items"]
    document = next(item for item in requests if item.get("resourceType") == "Document")
    failed = {
        category: [
            ref["id"]
            for ref in lhr["categories"][category]["auditRefs"]
            if ref["weight"] > 0 and (audits[ref["id"]].get("score") or 0) < 1
        ]
        for category in ("accessibility", "best-practices")
    }
    if lhr.get("runtimeError"):
        raise SystemExit(f"lighthouse: {lhr['runtimeError']}")
    return {
        "final_url": lhr["finalDisplayedUrl"],
        "performance": round(lhr["categories"]["performance"]["score"] * 100),
        "accessibility": round(lhr["categories"]["accessibility"]["score"] * 100),
        "best_practices": round(lhr["categories"]["best-practices"]["score"] * 100),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "transfer_kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "html_kib": document.get("resourceSize", 0) / 1024,
        "html_transfer_kib": document.get("transferSize", 0) / 1024,
        "failed_audits": failed,
    }


def main() -> None:
    scale = django_from_argv()
    import requests

    from bench.data import BENCH_PASSWORD
    from bench.server import gunicorn, sign_in

    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `make setup`")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"No Chromium at {CHROMIUM}: install Debian's chromium (or set CHROMIUM)")
    chosen = targets()
    static_root = DATA / scale / "static"
    collect_static(sys.argv[1], static_root)
    reports = DATA / scale / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_STATIC_ROOT"] = str(static_root)  # for the server: production static files
    results = {}
    with gunicorn(
        sys.argv[1], workers=2, access_log=DATA / scale / "lighthouse-access.log"
    ) as base:
        cookies = {}
        for name, path in chosen["pages"].items():
            user = chosen["users"].get(name, chosen["user"])
            if user.pk not in cookies:
                session = requests.Session()
                sign_in(session, base, user.email, BENCH_PASSWORD)
                cookies[user.pk] = f"sessionid={session.cookies['sessionid']}"
            for form in FORMS:
                result = lighthouse(
                    base + path, cookies[user.pk], form, reports / f"{name}-{form}.json"
                )
                if result["final_url"] != base + path:
                    raise SystemExit(f"{name}: Lighthouse was sent to {result['final_url']}")
                results[f"{name}_{form}"] = {"page": name, "form": form, "path": path, **result}
    emit(name="lighthouse", pages=results)


if __name__ == "__main__":
    main()
