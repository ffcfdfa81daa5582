"""Local development: `make run`. DEBUG on, emails written to .local/mail."""

from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key

# While `make run` (tools/devstack.py) is up it writes the URLs of the embedded
# PostgreSQL and Redis here, so `manage.py` commands run by hand find them too.
# Real environment variables win. Read before base, which requires them.
_RUNTIME_ENV = Path(__file__).resolve().parents[2] / ".local" / "runtime.env"
if _RUNTIME_ENV.exists():
    environ.Env.read_env(_RUNTIME_ENV, overwrite=False)

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, env  # noqa: E402

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])


def _local_secret_key() -> str:
    """A per-checkout random key kept in .local/, never a committed default."""
    path = BASE_DIR / ".local" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
