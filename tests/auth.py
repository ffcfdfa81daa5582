"""Signing test clients in the way the service requires, two-factor included."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from complexcases.organisation.two_factor import requires_two_factor


def sign_in_verified(client: Client, user) -> Client:
    """force_login, plus a confirmed authenticator app when the user's role requires one."""
    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.filter(
            user=user, confirmed=True
        ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
