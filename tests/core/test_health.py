"""/health/liveness and /health/readiness: the status codes a load balancer and Kubernetes act on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complexcases.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_checking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health-liveness"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_is_ok_with_database_redis_and_a_recent_worker(client):
    WorkerHeartbeat.objects.create(worker="w@host", beat_at=timezone.now())
    response = client.get(reverse("health-readiness"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
    }


def test_a_fresh_install_with_no_worker_seen_yet_is_ready(client):
    response = client.get(reverse("health-readiness"))
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "not seen"


def test_a_stale_worker_heartbeat_is_reported_without_failing_readiness(client):
    # Requests queue their work in the outbox (ADR 0052): a stopped worker delays it only.
    WorkerHeartbeat.objects.create(worker="w@host", beat_at=timezone.now() - timedelta(minutes=6))
    response = client.get(reverse("health-readiness"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"] == "stale"


def test_redis_down_is_reported_without_failing_readiness(client, tmp_path):
    from complexcases.celery import app

    WorkerHeartbeat.objects.create(worker="w@host", beat_at=timezone.now())
    real = app.conf.broker_url
    app.conf.broker_url = f"redis+socket://{tmp_path / 'no-redis.sock'}"
    try:
        response = client.get(reverse("health-readiness"))
    finally:
        app.conf.broker_url = real
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "unavailable", "worker": "ok"},
    }


def test_the_database_down_makes_readiness_fail(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper
    from django.db.utils import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get(reverse("health-readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_the_scanner_is_checked_only_when_configured(client, settings, tmp_path):
    WorkerHeartbeat.objects.create(worker="w@host", beat_at=timezone.now())
    settings.CLAMD_URL = f"unix://{tmp_path / 'no-clamd.sock'}"
    response = client.get(reverse("health-readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["scanner"] == "unavailable"


def test_readiness_with_a_real_clamd(client, settings, tmp_path):
    from tests.clamd import clamd_running

    WorkerHeartbeat.objects.create(worker="w@host", beat_at=timezone.now())
    with clamd_running(tmp_path) as url:
        settings.CLAMD_URL = url
        response = client.get(reverse("health-readiness"))
    assert response.status_code == 200
    assert response.json()["checks"]["scanner"] == "ok"


def test_health_endpoints_need_no_sign_in_and_hold_no_personal_data(client):
    for name in ("health-liveness", "health-readiness"):
        response = client.get(reverse(name))
        assert response["Content-Type"] == "application/json"
        assert "@" not in response.content.decode()
