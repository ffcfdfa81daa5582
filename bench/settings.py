"""Settings for the benchmarks: production-like (DEBUG off, real middleware) on plain HTTP.

Only ever pointed at a database of its own (`make bench` creates `cc_bench`); never the
dev or test database. No Redis is needed: tasks run in-process as a worker would run them
(`task.apply()`), and email goes nowhere.
"""

import os
import warnings

from django.core.management.utils import get_random_secret_key

os.environ.setdefault("REDIS_URL", "memory://")

from complexcases.settings.base import *  # noqa: F403
from complexcases.settings.base import BASE_DIR, LOGGING, TEMPLATES

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or get_random_secret_key()
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# Static files come straight from the source folders (no collectstatic step); pages, not
# assets, are what is measured. The Lighthouse benchmark measures what a person downloads,
# so it collects them as a deployment does (hashed, compressed) into BENCH_STATIC_ROOT.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = None
# Sign-in is not what is measured: a fast hasher keeps the load test's sign-ins from
# swamping two cores. Every other setting is the production one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
LOGGING["root"]["level"] = "WARNING"
