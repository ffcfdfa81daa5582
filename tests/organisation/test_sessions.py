"""Sign-in events, lockout, idle and absolute time-outs, and ending a user's sessions."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.organisation.services import staff_disable
from tests.factories import TEST_PASSWORD, UserFactory
from tests.html import h1, parse

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_the_eleventh_attempt_is_locked_and_every_attempt_logged(client, caplog):
    UserFactory(email="priya@example.com")
    with caplog.at_level(logging.WARNING, logger="complexcases.sign_in"):
        for _ in range(9):
            assert sign_in(client, "priya@example.com", "wrong").status_code == 200
        assert (
            sign_in(client, "priya@example.com", "wrong").status_code == 429
        )  # the 10th failure locks
    failed = [r for r in caplog.records if r.getMessage().startswith("Failed sign-in for")]
    assert len(failed) == 10
    # Masked as axes masks it in its own lockout log: nothing logged holds the address.
    assert {r.getMessage() for r in failed} == {"Failed sign-in for ********************"}
    assert "priya@example.com" not in caplog.text
    locked = sign_in(client, "priya@example.com")  # the 11th attempt, with the right password
    assert locked.status_code == 429
    assert h1(locked) == "Your account is locked"
    assert AccessAttempt.objects.get(username="priya@example.com").failures_since_start >= 10


def test_a_successful_sign_in_is_logged_with_a_new_session_id(client, caplog):
    user = UserFactory(email="priya@example.com")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    with caplog.at_level(logging.INFO, logger="complexcases.sign_in"):
        sign_in(client, "priya@example.com")
    assert client.session.session_key != before
    assert f"Sign-in: user {user.pk}" in caplog.text
    assert AccessLog.objects.filter(username="priya@example.com").exists()


def test_fifteen_idle_minutes_sign_you_out(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, UserFactory(email="priya@example.com").email)
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(timedelta(minutes=14))
    assert client.get(reverse("home")).status_code == 200  # activity restarts the clock
    time_machine.shift(timedelta(minutes=16))
    response = client.get(reverse("home"))
    assert response["Location"] == f"{reverse('signed-out')}?reason=idle"
    page = client.get(response["Location"])
    assert "had not done anything for 15 minutes" in parse(page).get_text()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_twelve_hours_is_the_limit_however_busy(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, UserFactory(email="priya@example.com").email)
    for _ in range(12 * 6 + 1):
        time_machine.shift(timedelta(minutes=10))
        response = client.get(reverse("home"))
    assert response["Location"] == f"{reverse('signed-out')}?reason=expired"


def test_stay_signed_in_resets_the_idle_clock(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, UserFactory(email="priya@example.com").email)
    time_machine.shift(timedelta(minutes=13))
    assert client.post(reverse("keep-alive")).status_code == 204
    time_machine.shift(timedelta(minutes=13))
    assert client.get(reverse("home")).status_code == 200
    assert Client().post(reverse("keep-alive")).status_code == 302


def test_every_page_tells_the_browser_when_to_warn(practitioner_client):
    body = parse(practitioner_client.get(reverse("home"))).body
    assert (body["data-session-warning"], body["data-session-timeout"]) == ("780", "900")
    dialog = parse(practitioner_client.get(reverse("home"))).select_one(
        "dialog#session-timeout-dialog"
    )
    assert dialog["aria-labelledby"] == "session-timeout-heading"


def test_disabling_a_user_ends_all_their_sessions(system_admin_user):
    priya = UserFactory(email="priya@example.com")
    laptop, phone = Client(), Client()
    sign_in(laptop, priya.email)
    sign_in(phone, priya.email)
    assert staff_disable(user=priya, by=system_admin_user) == 2
    for device in (laptop, phone):
        assert device.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert sign_in(Client(), priya.email).status_code == 200  # and cannot sign in again


def test_sign_out_ends_the_session_on_the_server(client):
    from django.contrib.sessions.models import Session

    sign_in(client, UserFactory(email="priya@example.com").email)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_the_admin_action_disables_and_signs_out_everywhere(system_admin_client):
    priya = UserFactory(email="priya@example.com")
    device = Client()
    sign_in(device, priya.email)
    response = system_admin_client.post(
        reverse("admin:organisation_user_changelist"),
        {"action": "disable_and_sign_out", "_selected_action": [priya.pk]},
        follow=True,
    )
    assert "1 disabled; 1 sessions ended." in response.content.decode()
    priya.refresh_from_db()
    assert not priya.is_active
    assert device.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_background_polling_does_not_keep_the_session_alive(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, UserFactory(email="priya@example.com").email)
    client.get(reverse("home"))
    for _ in range(10):
        time_machine.shift(timedelta(minutes=2))
        client.get(reverse("accessibility"), HTTP_X_BACKGROUND="1")
    # Twenty minutes of polling alone: the session timed out (on one of the polls).
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
