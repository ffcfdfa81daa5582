"""The benchmarks' own database: never the dev or test one."""

import os
from urllib.parse import urlsplit, urlunsplit


def bench_database_url(scale: str) -> str:
    """BENCH_DATABASE_URL, else DATABASE_URL's server with the database `cc_bench_<scale>`.

    `{scale}` in BENCH_DATABASE_URL is replaced by the scale, so that one setting names both
    databases (`.../myname_bench_{scale}`), as the page benchmark needs at national scale.
    """
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit(
            "Set DATABASE_URL (a PostgreSQL server the benchmarks may create `cc_bench` on), "
            "or run `make bench`, which starts the embedded PostgreSQL"
        )
    if os.environ.get("BENCH_DATABASE_URL"):
        return url.replace("{scale}", scale)
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + f"/cc_bench_{scale}"
    return urlunsplit(parts._replace(path=path))


def check_is_bench(url: str) -> str:
    """The database's name, refusing any that is not plainly a benchmark database."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to use database {name!r}: benchmark databases have 'bench' in their name"
        )
    return name


def setup_django(url: str) -> None:
    check_is_bench(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database, through the server's `postgres` database."""
    import psycopg

    name = check_is_bench(url)
    import environ

    config = environ.Env.db_url_config(url)
    params = {
        "dbname": "postgres",
        "user": config.get("USER") or "postgres",
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
