"""Request ids for logs and audit rows, security headers, and no caching of case data."""

import logging
import re
import threading
import uuid

from django.conf import settings
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.http import HttpResponseBadRequest
from django.template import loader

_local = threading.local()
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def current_request_id() -> str:
    """The id of the request being handled, or '-' outside a request (tasks, commands)."""
    return getattr(_local, "request_id", "-")


class RequestIdMiddleware:
    """Give every request an id. A well-formed X-Request-Id is kept only when
    REQUEST_ID_FROM_PROXY says the trusted proxy in front sets it (ADR 0024); otherwise
    whoever sent the request could choose the id written into the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "") if settings.REQUEST_ID_FROM_PROXY else ""
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        _local.request_id = request.request_id
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = "-"
        response["X-Request-Id"] = request.request_id
        return response


class PermissionsPolicyMiddleware:
    """Switch off the browser features the service never uses (PERMISSIONS_POLICY), on
    every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


_disallowed_host_logger = logging.getLogger("django.security.DisallowedHost")


class AllowedHostMiddleware:
    """Answer a Host header outside ALLOWED_HOSTS with the plain 400 page, logged once at WARNING.

    Left to Django, the DisallowedHost that CommonMiddleware raises is logged at ERROR and
    raised again while the 400 page (which needs the request) is drawn: a 500. Checked here,
    before any middleware that asks for the host; the page is drawn without the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost as error:
            _disallowed_host_logger.warning("%s", error)
            return HttpResponseBadRequest(loader.get_template("400.html").render({}))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages may show personal data: tell browsers and proxies not to keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/assets/")):
            response.setdefault("Cache-Control", "no-store")
        return response


class NulCharacterInRequest(SuspiciousOperation):
    """A request carried a NUL character (logged by django.security as this class's name)."""


class RejectNulMiddleware:
    """Refuse, with 400, a request whose path, query or form fields hold a NUL character.

    No one can type one into a form, and PostgreSQL can neither store nor compare one: without
    this, a NUL in a search box or a URL would reach a query and make a server error. Checked
    once here rather than in every view that reads a raw value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _any_nul(request.GET)
            or (request.method == "POST" and _any_nul(request.POST))
        ):
            raise NulCharacterInRequest("NUL character in the request's path, query or form")
        return self.get_response(request)


def _any_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True


OUTBOX_DELAYED_MESSAGE = (
    "Your changes are saved. Emails and background work from them will go a little later than "
    "usual: the service's queue is not answering, and they will be sent as soon as it is back."
)


class OutboxNoticeMiddleware:
    """When work queued by a request could not be handed to the broker, say so on the next page.

    The change is saved and its emails and tasks are in the outbox (ADR 0051); the relay hands
    them over once the broker answers. After MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib import messages

        from .outbox import outbox_delayed, outbox_delayed_reset

        outbox_delayed_reset()
        response = self.get_response(request)
        if outbox_delayed() and hasattr(request, "_messages"):
            messages.info(request, OUTBOX_DELAYED_MESSAGE, fail_silently=True)
        return response
