"""A stand-in for GOV.UK Notify's API on 127.0.0.1, checking what the real API checks.

It implements POST /v2/notifications/email as Notify's API documentation and its request schema
(alphagov/notifications-api, post_email_request) describe:
- the Authorization header carries "Bearer <JWT>"; the JWT is HS256, its `iss` is the service id
  and its signature verifies with the secret of the API key, and `iat` is within 30 seconds of
  now; otherwise 403 AuthError, as Notify answers;
- the body is JSON with a valid `email_address` and a UUID `template_id` (required), an object
  `personalisation`, a string `reference`; otherwise 400 ValidationError;
- the template must exist and every one of its placeholders must be given, otherwise 400
  BadRequestError ("Template not found", "Missing personalisation: link");
- success is 201 with Notify's response shape (id, reference, content, uri, template).
A test scripts failures in advance (`fail_next(429)`), to see how the client and task react.
"""

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ALLOWED_FIELDS = {
    "email_address",
    "template_id",
    "personalisation",
    "reference",
    "email_reply_to_id",
    "one_click_unsubscribe_url",
    "scheduled_for",
}
ERRORS = {
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


@dataclass
class NotifyStandIn:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    # template id -> placeholders, as an operator would create them in Notify
    templates: dict[str, set[str]] = field(default_factory=dict)
    received: list[dict] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)
    scripted: list[int | None] = field(default_factory=list)  # None: answer normally
    url: str = ""

    @property
    def api_key(self) -> str:
        return f"complexcases_test-{self.service_id}-{self.secret}"

    def fail_next(self, *statuses: int | None) -> None:
        self.scripted.extend(statuses)

    def answer(self, headers, raw: bytes) -> tuple[int, dict]:
        """The status and JSON body Notify would give for this request."""
        authorisation = headers.get("Authorization", "")
        if not authorisation.startswith("Bearer "):
            return _error(401, "AuthError", "Unauthorized: authentication token must be provided")
        token = authorisation.removeprefix("Bearer ")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.PyJWTError:
            return _error(403, "AuthError", "Invalid token: signature, api token not found")
        if header.get("typ") != "JWT" or claims["iss"] != self.service_id:
            return _error(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - claims["iat"]) > 30:
            return _error(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )
        if headers.get("Content-Type") != "application/json":
            return _error(400, "BadRequestError", "Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, "BadRequestError", "Invalid JSON supplied in POST data")
        self.received.append(body)
        status = self.scripted.pop(0) if self.scripted else None
        if status is not None:
            return _error(status, *ERRORS[status])
        problems = []
        for name in ("email_address", "template_id"):
            if name not in body:
                problems.append(f"{name} is a required property")
        if "email_address" in body and not EMAIL.match(str(body["email_address"])):
            problems.append("email_address Not a valid email address")
        try:
            uuid.UUID(str(body.get("template_id", "")))
        except ValueError:
            if "template_id" in body:
                problems.append("template_id is not a valid UUID")
        if not isinstance(body.get("personalisation", {}), dict):
            problems.append("personalisation is not of type object")
        if not isinstance(body.get("reference", ""), str):
            problems.append("reference is not of type string")
        problems += [
            f"Additional property {name} is not allowed" for name in set(body) - ALLOWED_FIELDS
        ]
        if problems:
            return 400, {
                "status_code": 400,
                "errors": [{"error": "ValidationError", "message": p} for p in problems],
            }
        placeholders = self.templates.get(body["template_id"])
        if placeholders is None:
            return _error(400, "BadRequestError", "Template not found")
        missing = sorted(placeholders - set(body.get("personalisation") or {}))
        if missing:
            return _error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        notification_id = str(uuid.uuid4())
        self.sent.append({**body, "id": notification_id})
        return 201, {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": {
                "subject": "Subject",
                "body": "Body",
                "from_email": "service@notify.example",
            },
            "uri": f"{self.url}/v2/notifications/{notification_id}",
            "template": {
                "id": body["template_id"],
                "version": 1,
                "uri": f"{self.url}/v2/template/{body['template_id']}",
            },
            "scheduled_for": None,
        }


def _error(status: int, error: str, message: str) -> tuple[int, dict]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


def notify_stand_in_serve(stand_in: NotifyStandIn):
    """Serve the stand-in on 127.0.0.1 on a free port in a thread; returns the server to shut down."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != "/v2/notifications/email":
                status, body = _error(404, "ResourceNotFound", "Not found")
            else:
                status, body = stand_in.answer(self.headers, raw)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
