"""One log line per request, and formatters that keep CRNs and email addresses out of every log line.

The request line names the view (the URL pattern's name), never the path or the query string:
paths such as /subject-access/X123456/ and search queries can hold a CRN or a name.
"""

import logging
import re
import time

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

logger = logging.getLogger("complexcases.request")

CRN = re.compile(r"\b[A-Za-z][0-9]{6}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class RequestLogMiddleware:
    """Log method, view, status, duration and user id for each request (after the response)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        fields = {
            "method": request.method,
            "view": (match.view_name if match else "") or "unresolved",
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": _user_id_if_loaded(request),
        }
        logger.info(
            "%(method)s %(view)s %(status)s %(duration_ms)sms user=%(user_id)s",
            fields,
            extra=fields,
        )
        return response


def _user_id_if_loaded(request) -> int | None:
    """The signed-in user's id, if the request already loaded them: never a query of its own."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)  # AuthenticationMiddleware's SimpleLazyObject
    if wrapped is None or wrapped is empty or not wrapped.is_authenticated:
        return None
    return wrapped.pk


def redact(text: str) -> str:
    return EMAIL.sub("[email]", CRN.sub("[crn]", text))


class RedactingFormatter(logging.Formatter):
    """Text lines with anything shaped like a CRN or an email address replaced.

    Applied to the formatted line (message, extras, traceback), so Django's own lines
    ("Not Found: /people/X123456/", the request attached to them) are covered too, and the
    record itself is left alone for any other handler. Names cannot be recognised by shape,
    so code must never log them; tests/core/test_logging.py checks that journeys log none.
    """

    def format(self, record):
        return redact(super().format(record))


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object a line, redacted as RedactingFormatter."""

    def format(self, record):
        return redact(super().format(record))
