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
# With DEBUG on, show Django's technical 404 page instead of the service's (core/error_pages.py).
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "complexcases.core.error_pages.ServiceAdminConfig",  # django.contrib.admin, admins only
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
    "django_prometheus",
    "complexcases.core",
    "complexcases.organisation",
    "complexcases.people",
    "complexcases.screening",
    "complexcases.cases",
    "triage",
    "panel",
    "jcw",
    "complexcases.reporting",
    "complexcases.outcomes",
]

MIDDLEWARE = [
    # First and last: request counts and latency by view (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "complexcases.core.middleware.RequestIdMiddleware",
    "complexcases.core.middleware.PermissionsPolicyMiddleware",
    # Before anything asks for the host: a Host outside ALLOWED_HOSTS is a plain 400.
    "complexcases.core.middleware.AllowedHostMiddleware",
    # One log line per request: view, status, duration, user id; never the path or query.
    "complexcases.core.request_log.RequestLogMiddleware",
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
    # Says so when a request's emails or tasks wait in the outbox for the broker (ADR 0051).
    "complexcases.core.middleware.OutboxNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "complexcases.organisation.sessions.SessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "complexcases.core.middleware.NoStoreMiddleware",
    "complexcases.core.error_pages.ServiceErrorPagesMiddleware",
    # Last, so a locked-out sign-in is answered before the view runs.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, counting queries and their errors for /metrics.
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DATABASE_URL is the application's role; `migrate` runs with the owner role's URL instead,
# and grants this role what it may do after every migrate (ADR 0023, core.database_roles).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="complexcases_app")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "complexcases.organisation.oidc.PasswordBackend",
    "complexcases.organisation.oidc.ProviderBackend",
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

# Single sign-on with the organisation's identity provider (OpenID Connect, ADR 0029): on when
# OIDC_ISSUER is set. mozilla-django-oidc reads the OIDC_RP_* and OIDC_* names below; the
# provider's endpoints come from its discovery document.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
# Only where the provider does not publish it at OIDC_ISSUER/.well-known/openid-configuration.
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_EMAIL_CLAIM = env.str("OIDC_EMAIL_CLAIM", default="email")
OIDC_STAFF_CODE_CLAIM = env.str("OIDC_STAFF_CODE_CLAIM", default="")
# Optional: the claim listing the user's groups, and which service role each group gives.
OIDC_ROLES_CLAIM = env.str("OIDC_ROLES_CLAIM", default="")
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_SIGN_IN_LABEL = env.str("OIDC_SIGN_IN_LABEL", default="Sign in with your Justice account")
# With single sign-on on, False leaves passwords only to superusers (break-glass).
LOCAL_PASSWORDS_ENABLED = env.bool("LOCAL_PASSWORDS_ENABLED", default=True)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True
OIDC_CREATE_USER = True  # ProviderBackend.create_user decides (only with a role granted)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
LOGIN_REDIRECT_URL_FAILURE = "login"

# The HMPPS subject access request API (ADR 0030): client-credentials JWTs from this issuer,
# for this audience, carrying the role. Off (401 to every call) unless SAR_API_ISSUER is set.
SAR_API_ISSUER = env.str("SAR_API_ISSUER", default="").rstrip("/")
SAR_API_AUDIENCE = env.str("SAR_API_AUDIENCE", default="")
SAR_API_ROLE = env.str("SAR_API_ROLE", default="ROLE_SAR_DATA_ACCESS")
# The issuer's signing keys; by default from its discovery document. For HMPPS Auth, e.g.
# https://sign-in.hmpps.service.justice.gov.uk/auth/.well-known/jwks.json
SAR_API_JWKS_URL = env.str("SAR_API_JWKS_URL", default="")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too")
if SAR_API_ISSUER and not SAR_API_AUDIENCE:
    raise ImproperlyConfigured("SAR_API_ISSUER is set: set SAR_API_AUDIENCE too")

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
# Sign-ins through the identity provider are not password guesses (ADR 0029).
AXES_WHITELIST_CALLABLE = "complexcases.organisation.oidc.is_provider_callback"


def proxy_settings(trusted_proxy_count: int) -> dict:
    """What the service believes of the headers the reverse proxies in front add (ADR 0024).

    Each trusted proxy appends the address it saw to X-Forwarded-For, and the nearest one is
    REMOTE_ADDR. So behind N proxies the client is the Nth entry from the right, and anything
    left of it is whatever the client chose to send. django-ipware (which axes asks for the
    address to lock out) counts only the proxies listed in the header: N - 1. With no proxy
    only REMOTE_ADDR counts, and an incoming X-Request-Id is never kept.
    """
    if trusted_proxy_count < 1:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "AXES_IPWARE_PROXY_COUNT": None,
            "REQUEST_ID_FROM_PROXY": False,
        }
    return {
        # REMOTE_ADDR only for a request that did not come through the proxy (no header).
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        # Not strict: when the client sent entries of its own, still take the one at the
        # trusted position rather than falling back to the proxy's address.
        "IPWARE_STRICT": False,
        # Keep an incoming X-Request-Id only when the proxy is known to set (or replace) it.
        "REQUEST_ID_FROM_PROXY": env.bool("REQUEST_ID_FROM_PROXY", default=False),
    }


# How many reverse proxies (load balancer, ingress) stand between the client and the app.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
globals().update(proxy_settings(TRUSTED_PROXY_COUNT))

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
# Browser features the service never uses, switched off for it and anything it might embed
# (only names Chromium knows: an unknown one is a console warning on every page).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection", "interest-cohort",
        "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="complex-cases@localhost")
EMAIL_FILE_PATH = BASE_DIR / ".local" / "mail"
# GOV.UK Notify, with EMAIL_BACKEND=complexcases.core.notify.NotifyEmailBackend: the API key
# (it holds the service id and the secret), and a template id for each kind of email
# (docs/notify-templates.md) as JSON: {"triage-request-received": "<uuid>", ...}.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TEMPLATE_IDS = env.json("NOTIFY_TEMPLATE_IDS", default={})
# Calendar invitations as Notify file links stay downloadable for this many weeks (max 78).
NOTIFY_FILE_RETENTION_WEEKS = env.int("NOTIFY_FILE_RETENTION_WEEKS", default=4)

# Virus scanning of uploads by clamd: unix:///run/clamav/clamd.ctl or tcp://clamav:3310.
# Unset: uploads are not scanned (the upload pages say so), unless UPLOAD_SCAN_REQUIRED.
CLAMD_URL = env.str("CLAMD_URL", default="")
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=60.0)
UPLOAD_SCAN_REQUIRED = env.bool("UPLOAD_SCAN_REQUIRED", default=False)

# Prometheus: /metrics answers only with "Authorization: Bearer METRICS_TOKEN" (404 when unset).
# Each Celery worker serves its own metrics on CELERY_METRICS_PORT when set.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
CELERY_METRICS_ADDRESS = env.str("CELERY_METRICS_ADDRESS", default="0.0.0.0")  # noqa: S104
PROMETHEUS_EXPORT_MIGRATIONS = False

# Celery: Redis is broker; results are not kept (tasks record their own outcome in the database).
REDIS_URL = required("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="complexcases")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a worker took and never acknowledged (the worker was killed outright) goes back on
# the queue after this. Longer than the longest job and the longest retry countdown (ADR 0052).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=3600)
}
# The jobs that must run (core.tasks.ReliableTask) retry a database outage with back-off:
# 10, 20, 40, 80, 160 then 320 seconds by default, then are recorded as failed.
TASK_MAX_RETRIES = env.int("TASK_MAX_RETRIES", default=6)
TASK_RETRY_BACKOFF_SECONDS = env.int("TASK_RETRY_BACKOFF_SECONDS", default=10)
# Task runs (core.TaskRun) are kept this long after they finish.
TASK_RUN_RETENTION_DAYS = env.int("TASK_RUN_RETENTION_DAYS", default=90)
# The outbox (ADR 0051): work handed to the broker and not done within this is handed over again.
OUTBOX_HANDOVER_LEASE_SECONDS = env.int("OUTBOX_HANDOVER_LEASE_SECONDS", default=300)
# An email the mail service could not take is tried again after 1, 2, 4, 8 and 16 minutes.
EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=5)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=60)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Workers log through LOGGING below (JSON in production, with the redaction), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "complexcases.core.tasks.record_worker_heartbeat",
        "schedule": crontab(minute="*"),
    },
    # The outbox relay (ADR 0051): emails and tasks not yet handed to the broker.
    "outbox-relay": {
        "task": "complexcases.core.tasks.relay_outbox",
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
    # Outcomes after the panel (ADR 0054): every night, besides after each extract import.
    "outcomes-refresh": {
        "task": "complexcases.outcomes.tasks.refresh_outcomes",
        "schedule": crontab(minute=45, hour=2),
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
if ACCESS_LOG_RETENTION_DAYS < 365:  # the database's retention function refuses less
    raise ImproperlyConfigured("ACCESS_LOG_RETENTION_DAYS must be at least 365 (ADR 0023).")
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

# "json" in production (one object a line, for the platform's log shipper), "text" locally.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "complexcases.core.middleware.RequestIdLogFilter"},
    },
    # Both formatters replace anything shaped like a CRN or an email address (request_log.py).
    "formatters": {
        "plain": {
            "()": "complexcases.core.request_log.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
        "json": {
            "()": "complexcases.core.request_log.RedactingJsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
