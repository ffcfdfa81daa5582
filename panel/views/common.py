"""Panel pages: what every panel page shares."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from complexcases.core.access_log import (
    access_log_consultation,
)
from complexcases.core.formatting import govuk_date, govuk_time_range

from ..forms import (
    AGENDA,
)

MANAGE = "panel.manage_panel"
AGENDA_LABELS = [(name, label) for name, label, _ in AGENDA]
VIEW_CASE = "panel.view_panel_case"


def _slot_label(slot) -> str:
    return f"{govuk_date(slot.starts_at)}, {govuk_time_range(slot.starts_at, slot.ends_at)}"


def _started(slot) -> bool:
    """Minutes are for a panel that has started (panel_minutes_save's rule): offer them then."""
    return slot.starts_at <= timezone.now()


def _consulted(request, booking, record_type="panel case") -> None:
    access_log_consultation(
        request=request, person=booking.person, record_type=record_type, record_id=booking.pk
    )


def _to_booking(booking, message=None, request=None, error=False):
    if message and request:
        (messages.error if error else messages.success)(request, str(message))
    return redirect("panel:booking", pk=booking.pk)
