"""Panel writes: the error every panel service raises, and helpers they share."""

from django.conf import settings
from django.urls import reverse

from complexcases.core.access_log import access_log_record
from complexcases.core.errors import ServiceError, StaleEditError

from ..models import (
    PanelBooking,
)

Booking = PanelBooking.Status
PANEL_LOCK_NAMESPACE = 7_303  # this project's advisory lock keys; see screening.services


class PanelError(ServiceError):
    """The change is not possible as things stand; the message says why, for the user."""


class StalePanelError(PanelError, StaleEditError):
    """Someone else changed the record after this form was opened."""


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _log(booking: PanelBooking, user, action: str, detail: str, record_type="panel case") -> None:
    access_log_record(
        user=user,
        action=action,
        record_type=record_type,
        person=booking.person,
        record_id=booking.pk,
        detail=detail,
    )
