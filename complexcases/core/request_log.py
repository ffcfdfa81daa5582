"""One log line per request, and a filter that keeps CRNs and email addresses out of every log line.

The request line names the view (the URL pattern's name), never the path or the query string:
paths such as /subject-access/X123456/ and search queries can hold a CRN or a name.
"""

import logging
import re
import time

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
        user = getattr(request, "user", None)
        fields = {
            "method": request.method,
            "view": (match.view_name if match else "") or "unresolved",
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        }
        logger.info(
            "%(method)s %(view)s %(status)s %(duration_ms)sms user=%(user_id)s",
            fields,
            extra=fields,
        )
        return response


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact(text: str) -> str:
    return EMAIL.sub("[email]", CRN.sub("[crn]", text))


class RedactPersonalDataFilter(logging.Filter):
    """Replace anything shaped like a CRN or an email address in a log message.

    Django's own loggers put the path in messages ("Not Found: /subject-access/X123456/"), and
    exceptions can quote a value. Names cannot be recognised by shape, so code must never log
    them; tests/core/test_logging.py checks that journeys log none.
    """

    def filter(self, record):
        for key, value in list(vars(record).items()):
            # Extras: Django's loggers attach the request (its repr holds the path).
            if key not in _STANDARD and not isinstance(value, int | float | bool | type(None)):
                setattr(record, key, redact(str(value)))
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
