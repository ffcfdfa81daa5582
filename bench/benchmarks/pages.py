"""Server-side p50/p95 of the heaviest pages vs a floor page, on one gunicorn in one run.

Times come from gunicorn's own access log (microseconds per request), so the client's
overhead does not count. Requests go one at a time, pages interleaved, after a warm-up.
The floor is /bench/floor: signed in, session, one access-log row, the page frame.

Each page's SQL query count is also recorded (through Django's test client) and compared
with the count at the other scale, when that scale has been run: it must not grow with the data.

"My actions" (`/actions/?scope=team`) is opened as the SPO whose team has the most panel
actions; every other page as a programme manager: the national dashboard (`/dashboard/`,
every region) and the busiest PDU's dashboard (`/dashboard/?region=…&pdu=…`, as the
dashboard's own filter form asks for it), both for the default period (the last 12 months);
the outcomes pages (after the panel for every region and the busiest PDU, what makes a
complex case and the threshold what-if for every region).

Pages are told apart by path and query string (the benchmark's access log records both), so
the two dashboards, on one path, each get their own times.
"""

import json
import statistics
import sys
from pathlib import Path

from . import django_from_argv, emit

REQUESTS = 200
WARM_UP = 20
DATA = Path(__file__).resolve().parent.parent.parent / ".local" / "bench"


def targets() -> dict:
    """The busiest PDU's list, the most-listed person, and who looks at them."""
    from django.db.models import Count

    from complexcases.organisation.models import User
    from complexcases.organisation.roles import Role
    from complexcases.screening.models import MonthlyList, MonthlyListEntry
    from panel.models import PanelAction

    month = MonthlyList.objects.order_by("-month").values_list("month", flat=True).first()
    pdu, region = (
        MonthlyListEntry.objects.filter(monthly_list__month=month)
        .values_list("monthly_list__pdu__code", "monthly_list__pdu__region__code")
        .annotate(n=Count("id"))
        .order_by("-n", "monthly_list__pdu__code")
        .values_list("monthly_list__pdu__code", "monthly_list__pdu__region__code")
        .first()
    )
    # The same shape of person at every scale (so query counts compare): listed most months,
    # a reflective conversation this month and a triage request behind them.
    crn = (
        MonthlyListEntry.objects.filter(
            person__reflective_conversations__entry__monthly_list__month=month,
            person__triage_requests__isnull=False,
        )
        .values("person__crn")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "person__crn")
        .values_list("person__crn", flat=True)
        .first()
    )
    user = (
        User.objects.filter(groups__name=Role.PROGRAMME_MANAGER, is_active=True)
        .order_by("email")
        .first()
    )
    # The busiest SPO: the most panel actions on their team's caseload.
    spo_id = (
        PanelAction.objects.filter(
            person__practitioner__line_manager__groups__name=Role.SENIOR_PROBATION_OFFICER,
            person__practitioner__line_manager__is_active=True,
        )
        .values("person__practitioner__line_manager")
        .annotate(n=Count("id"))
        .order_by("-n", "person__practitioner__line_manager")
        .values_list("person__practitioner__line_manager", flat=True)
        .first()
    )
    if spo_id is None:
        raise SystemExit("no panel actions in the benchmark database: regenerate it")
    return {
        "user": user,
        "pages": {
            "floor": "/bench/floor",
            "monthly_list_pdu": f"/cases/?pdu={pdu}",
            "person_12_months": f"/people/{crn}/",
            "my_actions_spo_team": "/actions/?scope=team",
            "dashboard_national": "/dashboard/",
            "dashboard_pdu": f"/dashboard/?region={region}&pdu={pdu}",
            # Outcomes (issue #25), read from the summaries the refresh keeps (ADR 0054).
            "outcomes_national": "/outcomes/",
            "outcomes_pdu": f"/outcomes/?region={region}&pdu={pdu}",
            "criteria_national": "/outcomes/criteria/",
            "threshold_national": "/outcomes/threshold/",
        },
        # Pages opened as someone other than `user`.
        "users": {"my_actions_spo_team": User.objects.get(pk=spo_id)},
    }


def user_for(chosen: dict, name: str):
    return chosen["users"].get(name, chosen["user"])


def query_counts(chosen: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    counts = {}
    for name, url in chosen["pages"].items():
        user = user_for(chosen, name)
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        client.get(url)  # a first request fills per-process caches (content types, permissions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def main() -> None:
    scale = django_from_argv()
    import requests

    from bench.data import BENCH_PASSWORD
    from bench.server import access_log_times, gunicorn, sign_in

    chosen = targets()
    pages = chosen["pages"]
    counts = query_counts(chosen)
    counts_file = DATA / scale / "query_counts.json"
    counts_file.parent.mkdir(parents=True, exist_ok=True)
    counts_file.write_text(json.dumps(counts))
    if "--counts-only" in sys.argv:
        return
    other = DATA / ("small" if scale == "national" else "national") / "query_counts.json"
    other_counts = json.loads(other.read_text()) if other.exists() else None

    log = DATA / scale / "pages-access.log"
    with gunicorn(sys.argv[1], workers=1, access_log=log) as base:
        sessions = {}
        for name in pages:
            user = user_for(chosen, name)
            if user.pk not in sessions:
                sessions[user.pk] = requests.Session()
                sign_in(sessions[user.pk], base, user.email, BENCH_PASSWORD)
        by_page = {name: sessions[user_for(chosen, name).pk] for name in pages}
        for _ in range(WARM_UP + REQUESTS):
            for name, url in pages.items():
                by_page[name].get(base + url, timeout=60).raise_for_status()
    # Path and query string, as logged: /dashboard/ and /dashboard/?region=…&pdu=… are two pages.
    paths = {url: name for name, url in pages.items()}
    assert len(paths) == len(pages), "two pages with the same URL"
    times: dict[str, list[float]] = {name: [] for name in pages}
    for method, path, status, ms in access_log_times(log):
        if method == "GET" and path in paths and status == 200:
            times[paths[path]].append(ms)
    for name, values in times.items():
        if len(values) != WARM_UP + REQUESTS:
            raise SystemExit(
                f"{name}: {len(values)} requests in the access log, not {WARM_UP + REQUESTS}"
            )
    results = {}
    for name, values in times.items():
        measured = values[WARM_UP:]
        cuts = statistics.quantiles(measured, n=100)
        results[name] = {
            "requests": len(measured),
            "p50_ms": statistics.median(measured),
            "p95_ms": cuts[94],
            "queries": counts[name],
            "queries_other_scale": other_counts.get(name) if other_counts else None,
        }
    emit(name="pages", pages=results)


if __name__ == "__main__":
    main()
