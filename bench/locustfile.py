"""The load test's journey: sign in, then the pages people use most, with a little think time.

Practitioners and programme managers open home, a monthly list, people's pages, "My actions"
and the dashboard. A practitioner's dashboard is their team's; a programme manager opens the
national dashboard and, as often, one PDU's (the PDU their account's monthly list is for).

Run by bench/benchmarks/load.py (headless, fixed users and duration per step). Accounts
and pages come from the JSON file named by BENCH_LOAD_PLAN. With BENCH_LOAD_FLOOR=1 every
page of the journey is the floor page instead (`/bench/floor`: signed in, one access-log
row, the base template), with the same accounts, sign-in, weights and think time: the load
test's floor (issue #22, decision 6).
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())  # noqa: SIM115
_accounts = itertools.cycle(PLAN["accounts"])
SIGN_IN = "sign in"
FLOOR = os.environ.get("BENCH_LOAD_FLOOR") == "1"


@events.quitting.add_listener
def _summary(environment, **_kwargs) -> None:
    """The journey's pages only (signing in is set-up, not load): counts, errors, p50, p95."""
    times: dict[int, int] = {}
    requests = failures = 0
    for (name, _method), entry in environment.stats.entries.items():
        if name == SIGN_IN:
            continue
        requests += entry.num_requests
        failures += entry.num_failures
        for milliseconds, count in entry.response_times.items():
            times[milliseconds] = times.get(milliseconds, 0) + count

    def percentile(share: float) -> float:
        wanted, seen = share * sum(times.values()), 0
        for milliseconds in sorted(times):
            seen += times[milliseconds]
            if seen >= wanted:
                return milliseconds
        return 0

    seconds = max(
        environment.stats.total.last_request_timestamp - environment.stats.total.start_time, 1e-9
    )
    with open(os.environ["BENCH_LOAD_SUMMARY"], "w") as handle:
        json.dump(
            {
                "requests": requests,
                "failures": failures,
                "rps": requests / seconds,
                "p50_ms": percentile(0.5),
                "p95_ms": percentile(0.95),
            },
            handle,
        )


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.account = next(_accounts)
        page = self.client.get("/sign-in", name=SIGN_IN)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/sign-in",
            data={
                "username": self.account["email"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/sign-in"},
            name=SIGN_IN,
        )

    def page(self, url: str, name: str) -> None:
        """A page counts only if it is the page itself: not a redirect to sign in, not an error."""
        if FLOOR:
            url, name = "/bench/floor", f"floor ({name})"
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(1)
    def home(self):
        self.page("/", "home")

    @task(2)
    def monthly_list(self):
        self.page(f"/cases/?pdu={self.account['pdu']}", "monthly list")

    @task(3)
    def person(self):
        self.page(f"/people/{random.choice(self.account['crns'])}/", "person")

    @task(1)
    def my_actions(self):
        self.page("/actions/", "my actions")

    @task(1)
    def dashboard(self):
        if self.account.get("national"):
            # Half national, half one PDU (narrowed as the filter form does, region and PDU).
            if random.random() < 0.5:
                self.page("/dashboard/", "dashboard national")
            else:
                query = f"region={self.account['region']}&pdu={self.account['pdu']}"
                self.page(f"/dashboard/?{query}", "dashboard PDU")
        else:
            self.page("/dashboard/", "dashboard team")
