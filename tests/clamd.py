"""A real clamd (Debian's clamav-daemon) on a unix socket in a temp dir, for the upload tests.

freshclam cannot reach its mirror here, so the signature database is one line we write: the
EICAR test file's MD5 and size (an .hdb signature). Outside CI, no clamd means a skip; in CI
(`CI` set) it is a failure, as .ci/run installs clamav-daemon.
"""

import hashlib
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.workers import process_stop

# The EICAR anti-virus test file: harmless, and detected as a virus by every scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"
CLAMD = os.environ.get("CLAMD", shutil.which("clamd") or "/usr/sbin/clamd")
START_TIMEOUT_SECONDS = 60


def clamd_or_skip() -> str:
    if Path(CLAMD).exists():
        return CLAMD
    if os.environ.get("CI"):
        pytest.fail(f"No clamd at {CLAMD}: CI must install Debian's clamav-daemon")
    pytest.skip(f"No clamd at {CLAMD} (install Debian's clamav-daemon to run the scanning tests)")


def _answers(socket: Path) -> bool:
    import clamdpy

    try:
        return clamdpy.ClamdUnixSocket(str(socket), timeout=2).ping().strip() == "PONG"
    except Exception:
        return False


@contextmanager
def clamd_running(directory: Path):
    """Start clamd with an EICAR-only database; yield its CLAMD_URL; stop it afterwards."""
    binary = clamd_or_skip()
    database = directory / "db"
    database.mkdir()
    (database / "eicar.hdb").write_text(
        f"{hashlib.md5(EICAR, usedforsecurity=False).hexdigest()}:{len(EICAR)}:{SIGNATURE}\n"
    )
    socket = directory / "clamd.sock"
    config = directory / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket}\n"
        f"DatabaseDirectory {database}\n"
        f"TemporaryDirectory {directory}\n"
        f"LogFile {directory / 'clamd.log'}\n"
        "Foreground yes\n"
        "StreamMaxLength 50M\n"
    )
    process = subprocess.Popen(
        [binary, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _answers(socket):
            if process.poll() is not None or time.monotonic() > deadline:
                log = directory / "clamd.log"
                raise RuntimeError(
                    f"clamd did not start:\n{log.read_text() if log.exists() else ''}"
                )
            time.sleep(0.1)
        yield f"unix://{socket}"
    finally:
        process_stop(process)
