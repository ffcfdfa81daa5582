"""Build the benchmark database: `python -m bench.generate --scale national|small`.

Drops and recreates the benchmark database (`cc_bench_<scale>` on DATABASE_URL's server,
or BENCH_DATABASE_URL), migrates it, then runs each app's step in bench/data/. Everything is
synthetic. National scale takes a few minutes on two cores.
"""

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

from .db import bench_database_url, recreate_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".local" / "bench"


def say(message: str) -> None:
    print(f"[bench.generate] {message}", flush=True)


def months_before(this_month: date, count: int) -> list[date]:
    months = []
    year, month = this_month.year, this_month.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.insert(0, date(year, month, 1))
    return months


def generate(scale_name: str, *, seed: int = 20261122) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from .data import SCALES, STEPS, Context, run_steps

    scale = SCALES[scale_name]
    started = time.monotonic()
    say(f"migrating the benchmark database {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    this_month = timezone.localdate().replace(day=1)
    context = Context(
        scale=scale,
        months=months_before(this_month, scale.months),
        next_month=this_month,
        rng=random.Random(seed),
        data_dir=DATA_DIR / scale.name,
    )
    run_steps(context, say=say)
    say("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "CREATE TABLE bench_meta (scale text NOT NULL, generated_at timestamptz NOT NULL,"
            " next_extract text NOT NULL, counts jsonb NOT NULL)"
        )
        context.counts["seconds"] = round(time.monotonic() - started, 1)
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s, now(), %s, %s)",
            [
                scale.name,
                str(context.data_dir / f"extract-{context.next_month:%Y-%m}.csv"),
                # The steps it ran: `bench.run` rebuilds a database made before a step was added.
                json.dumps({**context.counts, "steps": list(STEPS)}),
            ],
        )
    return context.counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=("national", "small"), default="national")
    parser.add_argument("--seed", type=int, default=20261122)
    arguments = parser.parse_args(argv)
    url = bench_database_url(arguments.scale)
    recreate_database(url)
    setup_django(url)
    counts = generate(arguments.scale, seed=arguments.seed)
    say(
        ", ".join(
            f"{key} {value:,}" if isinstance(value, int) else f"{key} {value}"
            for key, value in counts.items()
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
