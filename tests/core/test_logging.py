"""Logs: one JSON object a line in production, and no personal data in any line.

The journeys below run through the real views with the production log pipeline (the JSON
formatter and the request id and redaction filters from settings.LOGGING) attached, then the
captured text is searched for the test people's names and CRNs.
"""

import io
import json
import logging
import logging.config
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.auth import sign_in_verified
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

PERSONAL = ["Adams", "Jo ", "Brown", "Lee", "Evans", "A000001", "A000002", "B000001", "Z999999"]
STAFF_ADDRESSES = ["priya.hughes@example.com", "sam.okafor@example.com"]


@pytest.fixture
def json_log(settings):
    """The production pipeline, from settings.LOGGING, on the root logger; yields its output."""
    config = settings.LOGGING
    configurator = logging.config.DictConfigurator(config)
    formatter = configurator.configure_formatter(dict(config["formatters"]["json"]))
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    for name in config["handlers"]["console"]["filters"]:
        handler.addFilter(configurator.configure_filter(dict(config["filters"][name])))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)


def lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_each_request_is_one_json_line_with_id_user_view_status_and_duration(
    json_log, triage_world, settings
):
    settings.REQUEST_ID_FROM_PROXY = True  # the trusted proxy's id is kept (ADR 0024)
    client = sign_in_verified(Client(), triage_world["priya"])
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 200
    [line] = [line for line in lines(json_log) if line["logger"] == "complexcases.request"]
    assert set(line) >= {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "user_id",
        "view",
        "status",
        "duration_ms",
    }
    assert (line["level"], line["request_id"], line["view"], line["status"]) == (
        "INFO",
        "req-12345678",
        "home",
        200,
    )
    assert line["user_id"] == triage_world["priya"].pk
    assert line["duration_ms"] >= 0


def test_journeys_log_no_names_crns_or_addresses(
    json_log, triage_world, django_capture_on_commit_callbacks
):
    from complexcases.celery import app

    priya = sign_in_verified(Client(), triage_world["priya"])
    app.conf.task_always_eager = True
    try:
        priya.get(reverse("people:person", args=["A000001"]))
        priya.post(reverse("people:search"), {"q": "Adams"})
        priya.post(reverse("people:search"), {"q": "A000002"})
        priya.get(reverse("people:person", args=["Z999999"]))  # not found: Django logs the path
        priya.get(reverse("subject-access-report", args=["A000001"]))  # refused: logs the path
        answers = {
            "requester_role": "practitioner",
            "blockers": "Adams is stuck on housing",
            "tried": "AP referrals",
            "support_sought": "Advice",
            "urgent": "no",
        }
        priya.post(reverse("triage:request", args=["A000001"]), answers)
        with django_capture_on_commit_callbacks(execute=True):
            priya.post(reverse("triage:check", args=["A000001"]))
        logging.getLogger("complexcases.test").warning("Could not load A000002 for %s", "x@y.com")
    finally:
        app.conf.task_always_eager = False
    text = json_log.getvalue()
    records = lines(json_log)
    assert len(records) >= 8
    assert any(r["logger"] == "django.request" and "[crn]" in r["message"] for r in records)
    for personal in PERSONAL + STAFF_ADDRESSES:
        assert personal not in text, personal


def test_production_logs_json_and_local_logs_text():
    script = "import logging; logging.getLogger('complexcases.check').warning('about A123456')"
    production = manage("shell", "-c", script)
    [line] = [json.loads(x) for x in production.stderr.splitlines() if "complexcases.check" in x]
    assert line["message"] == "about [crn]"
    assert (line["level"], line["logger"], line["request_id"]) == (
        "WARNING",
        "complexcases.check",
        "-",
    )
    assert "time" in line
    local = manage("shell", "-c", script, LOG_FORMAT="text")
    assert "WARNING [-] complexcases.check: about [crn]" in local.stderr


def test_a_worker_logs_through_the_same_pipeline(transactional_db):
    """Celery would install its own text format; the worker keeps the service's (JSON in production)."""
    from django.conf import settings

    from complexcases.core.tasks import record_worker_heartbeat
    from tests.workers import celery_worker

    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False

    def succeeded(path) -> bool:
        lines = [json.loads(x) for x in path.read_text().splitlines() if x.startswith("{")]
        return any(
            line["logger"] == "celery.app.trace" and "succeeded" in line["message"]
            for line in lines
        )

    with celery_worker(LOG_FORMAT="json") as queue:
        record_worker_heartbeat.apply_async(queue=queue, ignore_result=False).get(timeout=60)
        log = settings.BASE_DIR / ".local" / f"{queue}.log"
        # The worker stores the result before it logs "succeeded": wait for the line (CI
        # failed once reading the log in between).
        deadline = time.monotonic() + 20
        while not succeeded(log) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert succeeded(log), log.read_text()[-2000:]


def test_the_request_line_never_loads_the_user_itself(json_log, rf):
    """A user the request never loaded is not loaded for the log line (that would be queries)."""
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from complexcases.core.request_log import RequestLogMiddleware

    def never(*args):
        raise AssertionError("the log line loaded the user")

    request = rf.get("/health/liveness")
    request.user = SimpleLazyObject(never)
    RequestLogMiddleware(lambda request: HttpResponse())(request)
    [line] = [line for line in lines(json_log) if line["logger"] == "complexcases.request"]
    assert (line["view"], line["status"], line["user_id"]) == ("unresolved", 200, None)
