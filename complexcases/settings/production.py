"""Production: everything secret or site-specific must come from the environment."""

from .base import *  # noqa: F403
from .base import env, proxy_settings, required

DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    required("ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# Behind the load balancer every request comes from it: count lock-outs by the client's
# address, the one the load balancer appended to X-Forwarded-For (ADR 0024).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
globals().update(proxy_settings(TRUSTED_PROXY_COUNT))

# Refuse uploads that cannot be scanned (set CLAMD_URL); fail closed.
UPLOAD_SCAN_REQUIRED = env.bool("UPLOAD_SCAN_REQUIRED", default=True)
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
