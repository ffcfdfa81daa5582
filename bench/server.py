"""Start gunicorn on a loopback port for a benchmark, and sign a client in."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, *, workers: int, access_log: Path):
    """Yield the base URL of a running server; stop it (and only it) afterwards."""
    import requests

    port = free_port()
    access_log.parent.mkdir(parents=True, exist_ok=True)
    access_log.unlink(missing_ok=True)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        # One key for every worker, or a session signed by one is refused by the next.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BENCH_BIND": f"127.0.0.1:{port}",
        "BENCH_WORKERS": str(workers),
        "BENCH_ACCESS_LOG": str(access_log),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "bench" / "gunicorn.conf.py"),
         "complexcases.wsgi:application"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {process.stderr.read().decode()[-2000:]}")
            try:
                requests.get(f"{base}/healthz", timeout=10)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within 60 s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sign_in(session, base: str, email: str, password: str) -> None:
    page = session.get(f"{base}/sign-in", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/sign-in",
        data={"username": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/sign-in"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"signing in as {email} failed ({response.status_code})")


def access_log_times(path: Path) -> list[tuple[str, str, int, float]]:
    """(method, path with its query string if any, status, milliseconds) for each request the
    server logged (bench/gunicorn.conf.py's format: `GET /path 200 1234 ?query`)."""
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) in (4, 5) and parts[3].isdigit():
            query = parts[4] if len(parts) == 5 and parts[4] != "?" else ""
            rows.append((parts[0], parts[1] + query, int(parts[2]), int(parts[3]) / 1000))
    return rows
