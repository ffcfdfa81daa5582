"""A real Celery worker, in its own process, consuming from the real Redis, using the test database."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url_for_test_db() -> str:
    """DATABASE_URL for the test database pytest-django created (socket or TCP)."""
    s = connection.settings_dict
    user = s["USER"] or "postgres"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = s["HOST"] or "localhost"
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{host}/{s['NAME']}"
    return f"postgres://{user}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def process_stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it has not gone within 20 seconds."""
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def celery_worker(pool: str = "solo", **extra_environment: str):
    """Start `celery worker` on a queue of its own; yield the queue name; stop it afterwards.

    `pool="prefork"` runs tasks in one child process, as production's workers do."""
    with celery_worker_process(pool=pool, **extra_environment) as worker:
        yield worker.queue


class Worker:
    def __init__(self, queue: str, process: subprocess.Popen, log_path: Path):
        self.queue, self.process, self.log_path = queue, process, log_path

    def log(self) -> str:
        return self.log_path.read_text()

    def children(self) -> list[int]:
        """The prefork pool's child processes (they run the tasks)."""
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]


@contextmanager
def celery_worker_process(
    pool: str = "solo", *, queue: str | None = None, concurrency: int = 1, **extra_environment: str
):
    """A `celery worker` process on `queue` (a new one by default): yields a Worker, whose
    process a fault test may kill; stops it afterwards if it is still running."""
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "complexcases.settings.test",
        "DATABASE_URL": database_url_for_test_db(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **extra_environment,
    }
    log_path = ROOT / ".local" / f"{queue}.log"  # tests read it by this name
    log = open(log_path, "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "complexcases",
            "worker",
            "--pool",
            pool,
            *(["--concurrency", str(concurrency)] if pool == "prefork" else []),
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"Celery worker did not start:\n{log.read()}")
            time.sleep(0.2)
        yield Worker(queue, process, log_path)
    except BaseException:
        sys.stderr.write(f"--- worker {queue} log ---\n{log_path.read_text()[-20000:]}\n")
        raise
    finally:
        if process.poll() is None:
            process_stop(process)
        log.close()
        log_path.unlink(missing_ok=True)
