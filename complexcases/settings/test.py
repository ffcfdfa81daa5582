"""Settings for pytest: real PostgreSQL and Redis from DATABASE_URL / REDIS_URL."""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = get_random_secret_key()
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# In-process tests read mail.outbox; a worker process started by a test writes files instead.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="")
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / ".local" / "test-media"))
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="complexcases-test")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405

# Lets the test runner's flush, as the owner role, TRUNCATE the append-only access log
# (migrations core 0006 and 0007; the application's role has no TRUNCATE at all).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c complexcases.test_database=on"  # noqa: F405
