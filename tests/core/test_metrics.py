"""/metrics, scraped as Prometheus would: only with the token, and with what an operator alerts on."""

import pytest
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import WorkerHeartbeat
from complexcases.core.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests"


def scrape(client, token=TOKEN):
    return client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {token}")


def samples(text: str, name: str) -> dict[str, float]:
    """{label string: value} for one metric in Prometheus's text format."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            labels, _, value = line.rpartition(" ")
            found[labels.removeprefix(name)] = float(value)
    return found


def test_metrics_are_not_public(client, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404  # no token configured: the endpoint is not there
    settings.METRICS_TOKEN = TOKEN
    assert client.get(reverse("metrics")).status_code == 401
    assert scrape(client, token="wrong").status_code == 401
    assert scrape(client).status_code == 200


def test_a_scrape_reports_requests_by_view_queries_tasks_queue_and_data_age(
    client, settings, triage_world, practitioner_client
):
    settings.METRICS_TOKEN = TOKEN
    practitioner_client.get(reverse("home"))
    record_worker_heartbeat.apply()  # a task run in this process, as a worker would
    text = scrape(client).content.decode()

    by_view = samples(text, "django_http_requests_total_by_view_transport_method_total")
    assert any('view="home"' in labels and value >= 1 for labels, value in by_view.items())
    assert samples(text, "django_http_requests_latency_seconds_by_view_method_count")
    assert sum(samples(text, "django_db_execute_total").values()) > 0
    tasks = samples(text, "complexcases_celery_tasks_total")
    assert any(
        'task="complexcases.core.tasks.record_worker_heartbeat"' in labels
        and 'state="SUCCESS"' in labels
        for labels in tasks
    )
    assert samples(text, "complexcases_celery_task_duration_seconds_count")
    assert samples(text, "complexcases_queue_length")[""] >= 0
    # triage_world imported an extract and generated this month's lists just now.
    assert 0 <= samples(text, "complexcases_newest_extract_age_seconds")[""] < 600
    assert 0 <= samples(text, "complexcases_latest_monthly_list_age_seconds")[""] < 600
    assert 0 <= samples(text, "complexcases_worker_heartbeat_age_seconds")[""] < 600
    for personal in ("Adams", "A000001", "priya", "@"):
        assert personal not in text


def test_emails_sent_and_failed_are_counted(
    client, settings, triage_world, django_capture_on_commit_callbacks
):
    from complexcases.celery import app
    from tests.triage_fixtures import a_request

    settings.METRICS_TOKEN = TOKEN
    before = sum(
        samples(scrape(client).content.decode(), "complexcases_emails_sent_total").values()
    )
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            a_request(triage_world)
    finally:
        app.conf.task_always_eager = False
    text = scrape(client).content.decode()
    sent = samples(text, "complexcases_emails_sent_total")
    assert sum(sent.values()) == before + 2
    assert any('kind="triage-request-received"' in labels for labels in sent)
    assert "complexcases_emails_failed_total" in text


def test_the_data_ages_are_absent_until_there_is_data(client, settings):
    """No extract or list yet: no age (an alert on "absent" fires, not a made-up number)."""
    settings.METRICS_TOKEN = TOKEN
    WorkerHeartbeat.objects.create(worker="w@host", beat_at=timezone.now())
    text = scrape(client).content.decode()
    assert samples(text, "complexcases_newest_extract_age_seconds") == {}
    assert samples(text, "complexcases_latest_monthly_list_age_seconds") == {}
    assert samples(text, "complexcases_worker_heartbeat_age_seconds")[""] < 600


@pytest.mark.celery
def test_a_real_worker_serves_its_task_metrics_on_its_own_port(transactional_db, tmp_path):
    """Workers are other processes: each serves its task outcomes on CELERY_METRICS_PORT.

    Run as in production: a prefork child runs the task, so the counters reach the worker's
    port through PROMETHEUS_MULTIPROC_DIR."""
    import socket
    import urllib.request

    from tests.workers import celery_worker

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "prometheus").mkdir()
    with celery_worker(
        pool="prefork",
        CELERY_METRICS_PORT=str(port),
        CELERY_METRICS_ADDRESS="127.0.0.1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    ) as queue:
        record_worker_heartbeat.apply_async(queue=queue, ignore_result=False).get(timeout=60)
        text = (
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        )
    tasks = samples(text, "complexcases_celery_tasks_total")
    assert tasks == {
        '{state="SUCCESS",task="complexcases.core.tasks.record_worker_heartbeat"}': 1.0
    }
    assert samples(text, "complexcases_celery_task_duration_seconds_count")
