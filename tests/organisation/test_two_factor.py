"""Two-factor authentication: required for system administrators and DPOs, available to all."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from complexcases.organisation.roles import Role
from complexcases.organisation.two_factor import authenticator_app_confirm
from tests.factories import TEST_PASSWORD, UserFactory
from tests.html import error_summary, h1, parse

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER])
def test_roles_that_require_it_must_set_it_up_before_anything_else(role):
    user = UserFactory(roles=[role], is_staff=True)
    client = Client()
    sign_in(client, user)
    for path in (
        reverse("home"),
        reverse("organisation:staff-list"),
        reverse("access-log"),
        "/django-admin/",
    ):
        assert client.get(path)["Location"] == reverse("two-factor-setup"), path
    page = client.get(reverse("two-factor-setup"))
    assert h1(page) == "Set up two-factor authentication"
    assert parse(page).select_one("img.cc-qr")["src"].startswith("data:image/svg+xml")

    assert not TOTPDevice.objects.filter(user=user).exists()  # nothing saved on GET
    response = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert error_summary(response) == [
        "The code is not right. Check your authenticator app and try the newest code"
    ]
    assert not TOTPDevice.objects.filter(user=user).exists()
    key = client.session["cc_two_factor_setup_key"]
    pending = TOTPDevice(user=user, key=key)
    assert client.post(reverse("two-factor-setup"), {"code": code_for(pending)})[
        "Location"
    ] == reverse("home")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert device.key == key
    assert client.get(reverse("home")).status_code == 200


def test_a_user_with_an_app_needs_a_code_at_every_sign_in():
    user = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("organisation:staff-list"))["Location"] == (
        f"{reverse('two-factor-verify')}?next=%2Fstaff%2F"
    )
    wrong = client.post(reverse("two-factor-verify"), {"code": "12345", "next": "/staff/"})
    assert error_summary(wrong) == ["The code must be 6 digits, like 123456"]
    response = client.post(
        reverse("two-factor-verify"), {"code": code_for(device), "next": "/staff/"}
    )
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_other_roles_may_use_it_but_need_not():
    user = UserFactory(roles=[Role.PROBATION_PRACTITIONER])
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("two-factor-setup")).status_code == 200


def test_verify_refuses_a_redirect_to_another_site():
    user = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    sign_in(client, user)
    response = client.post(
        reverse("two-factor-verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_password_alone_cannot_replace_an_existing_app():
    """Set-up is exempt from the verify step, so it must refuse to swap the app of an unverified user."""
    user = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("two-factor-setup"))["Location"] == reverse("two-factor-verify")
    assert client.post(reverse("two-factor-setup"), {"code": "123456"})["Location"] == reverse(
        "two-factor-verify"
    )
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_role_given_during_a_session_requires_the_app_at_once():
    user = UserFactory(roles=[Role.PROBATION_PRACTITIONER])
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=Role.SYSTEM_ADMINISTRATOR))
    assert client.get(reverse("home"))["Location"] == reverse("two-factor-setup")


def test_superusers_must_use_it_too():
    user = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    sign_in(client, user)
    assert client.get("/django-admin/")["Location"] == reverse("two-factor-setup")


@pytest.fixture
def eager_email(settings):
    """Emails queued after commit are sent in the test, to the locmem outbox."""
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_adding_an_authenticator_app_emails_the_user(
    eager_email, django_capture_on_commit_callbacks
):
    """ADR 0022: enrolment needs only the password, so the owner hears of it at once."""
    user = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER], email="dpo@example.com")
    client = Client()
    sign_in(client, user)
    client.get(reverse("two-factor-setup"))
    pending = TOTPDevice(user=user, key=client.session["cc_two_factor_setup_key"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two-factor-setup"), {"code": code_for(pending)})
    (email,) = mail.outbox
    assert email.to == ["dpo@example.com"]
    assert email.subject == "Complex Cases: an authenticator app was added"
    assert "If this was not you, someone may know your password" in email.body


def test_replacing_an_authenticator_app_says_replaced(
    eager_email, django_capture_on_commit_callbacks
):
    user = UserFactory(email="priya@example.com")
    old = TOTPDevice.objects.create(user=user, name="old", confirmed=True)
    new = TOTPDevice(user=user, name="Authenticator app", key=old.key)
    with django_capture_on_commit_callbacks(execute=True):
        assert authenticator_app_confirm(user=user, device=new) is True
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    (email,) = mail.outbox
    assert email.subject == "Complex Cases: an authenticator app was replaced"


def test_a_wrong_code_adds_no_app_and_sends_no_email(
    eager_email, django_capture_on_commit_callbacks
):
    user = UserFactory(email="priya@example.com")
    client = Client()
    sign_in(client, user)
    client.get(reverse("two-factor-setup"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert mail.outbox == []
    assert not TOTPDevice.objects.filter(user=user).exists()
