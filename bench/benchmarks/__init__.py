"""Each benchmark runs in its own process (so its peak memory is its own) and prints one JSON line.

Every change a benchmark makes is rolled back at the end, so the database stays as the
generator left it and the benchmarks can run again in any order.
"""

import json
import resource
import sys
import time
from contextlib import contextmanager


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(results: list):
    started = time.perf_counter()
    try:
        yield
    finally:
        results.append(time.perf_counter() - started)


class Rollback(Exception):
    """Raised at the end of a measured transaction to undo what it wrote."""


def emit(**fields) -> None:
    print("BENCH " + json.dumps(fields), flush=True)


def django_from_argv():
    """`python -m bench.benchmarks.X DATABASE_URL SCALE`: set Django up on the benchmark database."""
    from bench.db import setup_django

    url, scale = sys.argv[1], sys.argv[2]
    setup_django(url)
    return scale


def meta() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT scale, next_extract, counts FROM bench_meta")
        scale, next_extract, counts = cursor.fetchone()
    return {"scale": scale, "next_extract": next_extract, "counts": counts}
