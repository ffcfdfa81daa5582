"""One small module per app, each adding that app's records to the benchmark database.

`bench.generate` calls `generate(context)` in every module of `STEPS`, in order. A module
loads through PostgreSQL COPY (or one INSERT … SELECT on the server), never row-by-row
ORM saves, and reads what earlier steps made from `context`.

`panel` makes sessions, bookings, minutes, actions and follow-ups (follow-ups live in the
panel app); `jcw` makes joint case work episodes, contacts and feedback; `outcomes` changes
heard people's later extracts and rebuilds the outcomes summaries. A new app's module
goes in STEPS after the steps whose records it reads (see docs/performance.md, "Adding an app").
"""

import importlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

STEPS = ("organisation", "people", "screening", "triage", "panel", "cases", "jcw", "outcomes")

BENCH_PASSWORD = "bench-pathway-2026-only"  # noqa: S105 - synthetic benchmark database only


@dataclass(frozen=True)
class Scale:
    name: str
    regions: int
    pdus: int
    people: int
    months: int = 12
    caseload: int = 40  # people per practitioner
    practitioners_per_spo: int = 8


SCALES = {
    "national": Scale("national", regions=12, pdus=110, people=250_000),
    "small": Scale("small", regions=3, pdus=11, people=2_500),
}


@dataclass
class Context:
    """What the steps share: the scale, a seeded random source, and ids made so far."""

    scale: Scale
    months: list[date]  # the first day of each month with an extract, oldest first
    next_month: date  # the month the import benchmark's extract is for
    rng: random.Random
    data_dir: object  # pathlib.Path for files the benchmarks read (the next extract)
    ids: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows into a table; returns how many."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def run_steps(context: Context, *, say) -> None:
    for name in STEPS:
        module = importlib.import_module(f"bench.data.{name}")
        say(f"{name} …")
        module.generate(context)
