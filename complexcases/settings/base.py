"""Settings shared by every environment, read from environment variables."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def required(name: str) -> str:
    """Return an environment variable or stop start-up with a message saying what to set."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment (see .env.example); "
            "for local use, `make run` and `make test` set DATABASE_URL and REDIS_URL."
        )
    return value


DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "csp",
    "complexcases.core",
    "complexcases.organisation",
    "complexcases.people",
    "complexcases.screening",
    "triage",
    "panel",
    "jcw",
    "complexcases.reporting",
]

MIDDLEWARE = [
    "complexcases.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed by the service (ADR 0037): below WhiteNoise, whose files come
    # precompressed, and above everything that writes the body.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sign-in is known (the 400 page's header needs it), before any view reads a value.
    "complexcases.core.middleware.RejectNulMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "complexcases.organisation.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "complexcases.organisation.sessions.SessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "complexcases.core.middleware.NoStoreMiddleware",
    # Last, so a locked-out sign-in is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "complexcases.urls"
WSGI_APPLICATION = "complexcases.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "complexcases.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {"default": env.db_url_config(required("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

OTP_TOTP_ISSUER = "Complex Cases"
# Sign-in needs an authenticator app code for these roles (ASVS 2.7); anyone may set one up.
TWO_FACTOR_REQUIRED_ROLES = ["System administrator", "Data protection officer"]

# Lock an account and address out after repeated failed sign-ins (OWASP ASVS 2.2.1).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Signed out after 15 minutes without a request (warned at 13), and after 12 hours whatever.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=15 * 60)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=13 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "complexcases.core.views.csrf_failure"
# Flash messages can mention a case: keep them server-side, not in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The service's own files, and what `make setup` builds from the GOV.UK and MoJ Frontend
# packages (tools/build_frontend.py, ADR 0036): one stylesheet, one script, fonts, images.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "frontend_root" / "static"]
# collectstatic gives each file a hashed name (cached for a year, immutable) and gzip and
# Brotli copies; WhiteNoise serves them, compressed, whenever DEBUG is off (`make run` too).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads (extracts, panel papers): outside the static files, with no MEDIA_URL, so a file is
# only ever served by a view that checks who is asking.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".local" / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Content security policy: no inline script except the GOV.UK one-liner, which carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="complex-cases@localhost")
EMAIL_FILE_PATH = BASE_DIR / ".local" / "mail"

# Celery: Redis is broker; results are not kept (tasks record their own outcome in the database).
REDIS_URL = required("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="complexcases")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "complexcases.core.tasks.record_worker_heartbeat",
        "schedule": crontab(minute="*"),
    },
    "access-log-retention": {
        "task": "complexcases.core.tasks.apply_access_log_retention",
        "schedule": crontab(minute=30, hour=2),
    },
    "panel-sessions": {
        "task": "panel.tasks.generate_panel_sessions",
        "schedule": crontab(minute=15, hour=6),
    },
    "panel-papers": {
        "task": "panel.tasks.release_panel_papers",
        "schedule": crontab(minute=0, hour=7),
    },
    "reminders": {
        "task": "panel.tasks.send_reminders",
        # CELERY_TIMEZONE is Europe/London: 7:30am London time.
        "schedule": crontab(minute=30, hour=7),
    },
    "monthly-list": {
        "task": "complexcases.screening.tasks.generate_monthly_list",
        # CELERY_TIMEZONE is Europe/London, so this is 7am London time, GMT or BST.
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
    },
}

SERVICE_NAME = "Complex Cases"
# A person is listed when they meet at least this many of the eight criteria (DOMAIN.md).
SCREENING_THRESHOLD = env.int("SCREENING_THRESHOLD", default=6)
# Section 62 access log: rows older than this are deleted by a daily job.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=730)
# Service target: a triage meeting is held within this many working days of the request.
TRIAGE_TARGET_WORKING_DAYS = env.int("TRIAGE_TARGET_WORKING_DAYS", default=10)
# Uploads larger than this are refused before any row is read.
EXTRACT_UPLOAD_MAX_BYTES = env.int("EXTRACT_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
# Panel papers are released to invitees this many working days before the session.
PANEL_PAPERS_WORKING_DAYS = env.int("PANEL_PAPERS_WORKING_DAYS", default=3)
# After minutes are final, a QDO checks in this many weeks later.
FOLLOW_UP_WEEKS = env.int("FOLLOW_UP_WEEKS", default=4)
# Reminder digests list actions due within this many days (and overdue ones).
REMINDER_DAYS_AHEAD = env.int("REMINDER_DAYS_AHEAD", default=7)
# An action overdue by more than this many days is also sent to the owner's line manager.
ESCALATION_DAYS = env.int("ESCALATION_DAYS", default=14)
# Largest panel paper accepted, in bytes.
PANEL_PAPER_MAX_BYTES = env.int("PANEL_PAPER_MAX_BYTES", default=10 * 1024 * 1024)
# Shown in emails: the address people use to reach the service.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "complexcases.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
