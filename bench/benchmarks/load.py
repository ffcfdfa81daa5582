"""Load: gunicorn (3 workers, as in production) on loopback, locust headless, stepped user counts.

Each step runs a fixed number of simulated staff for a fixed time. Reported: the highest
throughput whose p95 stayed within 300 ms with no errors, and the first step that broke
that (the breaking point). Bounded: at most len(STEPS) steps, stopping at the first break.

The floor (issue #22, decision 6): the same journey (accounts, sign-in, weights, think
time) with every page replaced by the floor page, against the same server in the same run,
stepped the same way and then on (FLOOR_STEPS) until it breaks. Target: the service's
highest throughput is at least half the floor's.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from . import django_from_argv, emit

STEPS = {"national": (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96), "small": (2, 8)}
# The floor page is cheap: its steps go on past the service's until it breaks.
FLOOR_STEPS = {"national": (128, 192, 256), "small": ()}
SECONDS = {"national": 25, "small": 10}
P95_LIMIT_MS = 300
DATA = Path(__file__).resolve().parent.parent.parent / ".local" / "bench"
ROOT = Path(__file__).resolve().parent.parent.parent


def plan() -> dict:
    """Programme managers and practitioners, each with a PDU to list (and, for programme
    managers, to narrow the dashboard to) and people they may see."""
    from bench.data import BENCH_PASSWORD
    from complexcases.organisation.models import User
    from complexcases.organisation.roles import Role
    from complexcases.people.models import Person

    accounts, managers = [], []
    practitioners = (
        User.objects.filter(
            groups__name=Role.PROBATION_PRACTITIONER, is_active=True, caseload__isnull=False
        )
        .distinct()
        .select_related("pdu")
        .order_by("id")[:40]
    )
    for user in practitioners:
        crns = list(Person.objects.filter(practitioner=user).values_list("crn", flat=True)[:20])
        accounts.append({"email": user.email, "pdu": user.pdu.code, "crns": crns})
    listed = list(
        Person.objects.filter(list_entries__isnull=False)
        .values_list("crn", "pdu__code", "pdu__region__code")
        .distinct()[:200]
    )
    for user in User.objects.filter(groups__name=Role.PROGRAMME_MANAGER).order_by("id"):
        _crn, pdu, region = listed[user.pk % len(listed)]
        managers.append(
            {
                "email": user.email,
                "pdu": pdu,
                "region": region,
                "national": True,  # the dashboard: every region, or one PDU's
                "crns": [c for c, _pdu, _region in listed],
            }
        )
    # Users take accounts in this order: one programme manager to every three practitioners,
    # so even the smallest step has both (practitioners first would leave out the managers,
    # and their national dashboards, until the 41st user).
    mixed = []
    while accounts or managers:
        mixed.extend(accounts[:3])
        del accounts[:3]
        if managers:
            mixed.append(managers.pop(0))
    return {"password": BENCH_PASSWORD, "accounts": mixed}


def locust_step(base: str, users: int, seconds: int, scale: str, *, floor: bool = False) -> dict:
    prefix = DATA / scale / f"load-{'floor-' if floor else ''}{users}"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--host", base, "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--reset-stats",
         "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
        cwd=ROOT,
        env={
            **os.environ,
            "BENCH_LOAD_PLAN": str(DATA / scale / "load-plan.json"),
            "BENCH_LOAD_SUMMARY": f"{prefix}-summary.json",
            "BENCH_LOAD_FLOOR": "1" if floor else "0",
        },
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )  # fmt: skip
    summary = json.loads(Path(f"{prefix}-summary.json").read_text())
    return {"users": users, **summary}


def stepped(base: str, steps, scale: str, *, floor: bool) -> dict:
    """Steps of users until one breaks the limit: every step, the best, the first that broke."""
    done, capacity, breaking = [], None, None
    for users in steps:
        step = locust_step(base, users, SECONDS[scale], scale, floor=floor)
        done.append(step)
        if step["failures"] == 0 and step["requests"] > 0 and step["p95_ms"] <= P95_LIMIT_MS:
            if capacity is None or step["rps"] > capacity["rps"]:
                capacity = step
        else:
            breaking = step
            break
    return {"steps": done, "capacity": capacity, "breaking": breaking}


def main() -> None:
    scale = django_from_argv()
    from bench.server import gunicorn

    (DATA / scale).mkdir(parents=True, exist_ok=True)
    (DATA / scale / "load-plan.json").write_text(json.dumps(plan()))
    with gunicorn(sys.argv[1], workers=3, access_log=DATA / scale / "load-access.log") as base:
        locust_step(base, STEPS[scale][0], 8, scale)  # warm-up: connections, templates; not counted
        service = stepped(base, STEPS[scale], scale, floor=False)
        locust_step(base, STEPS[scale][0], 8, scale, floor=True)  # the floor's warm-up
        floor = stepped(base, STEPS[scale] + FLOOR_STEPS[scale], scale, floor=True)
    emit(name="load", **service, p95_limit_ms=P95_LIMIT_MS, floor=floor)


if __name__ == "__main__":
    main()
