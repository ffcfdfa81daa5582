"""Panel writes: actions agreed at panel, and their updates afterwards."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from complexcases.core.access_log import Action
from complexcases.core.errors import check_version
from complexcases.organisation.models import User

from ..models import (
    PanelAction,
    PanelActionUpdate,
    PanelBooking,
)
from ..selectors import (
    LIVE_BOOKING,
)
from .bookings import _locked_booking
from .common import PanelError, StalePanelError, _log

# Actions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDraft:
    description: str
    due_date: date
    owner: User | None = None
    owner_name: str = ""
    owner_organisation: str = ""
    owner_email: str = ""
    chaser: User | None = None


def panel_actions_add(
    *, booking: PanelBooking, actions: list[ActionDraft], by: User
) -> list[PanelAction]:
    """Record the actions agreed at the panel, several at once."""
    if not actions:
        raise PanelError("Enter at least one action")
    with transaction.atomic():
        current = _locked_booking(booking, action="add actions", allowed=LIVE_BOOKING)
        agreed_on = timezone.localdate(current.slot.starts_at)
        created = []
        for draft in actions:
            if draft.due_date <= agreed_on:
                raise PanelError("The due date of each action must be after the panel")
            if draft.owner is None and draft.chaser is None:
                raise PanelError("Choose who chases an action owned outside the service")
            action = PanelAction(
                booking=current,
                person=current.person,
                description=draft.description.strip(),
                owner=draft.owner,
                owner_name="" if draft.owner else draft.owner_name.strip(),
                owner_organisation="" if draft.owner else draft.owner_organisation.strip(),
                owner_email="" if draft.owner else draft.owner_email.strip(),
                chaser=None if draft.owner else draft.chaser,
                agreed_on=agreed_on,
                due_date=draft.due_date,
                created_by=by,
            )
            action.full_clean()
            action.save()
            created.append(action)
        _log(current, by, Action.COLLECTION, f"{len(created)} panel action(s) recorded")
    return created


# After the panel: actions ---------------------------------------------------------------------


def _check_action_version(action: PanelAction, version: str | None) -> None:
    check_version(
        action,
        version,
        "Someone else updated this action while you were working on it. What you entered "
        "is below: check the action before you save again.",
        error=StalePanelError,
    )


def _locked_action(action: PanelAction, version: str | None) -> PanelAction:
    current = (
        PanelAction.objects.select_for_update()
        .select_related("person", "booking")
        .get(pk=action.pk)
    )
    if current.status != PanelAction.Status.OPEN:
        raise PanelError(f"This action is already closed: {current.get_status_display().lower()}")
    _check_action_version(current, version)
    return current


def panel_action_update(
    *, action: PanelAction, note: str, by: User, version: str | None = None
) -> PanelActionUpdate:
    """Record progress on an open action."""
    if not note.strip():
        raise PanelError("Enter what has happened")
    with transaction.atomic():
        current = _locked_action(action, version)
        update = PanelActionUpdate.objects.create(action=current, note=note.strip(), by=by)
        current.save(update_fields=["updated_at"])
        _log(
            current.booking,
            by,
            Action.ALTERATION,
            f"Progress on action {current.pk}",
            "panel action",
        )
    return update


def panel_action_close(
    *, action: PanelAction, status: str, outcome_note: str, by: User, version: str | None = None
) -> PanelAction:
    """Complete an action (done, or no longer needed) with its outcome."""
    if status not in (PanelAction.Status.DONE, PanelAction.Status.NOT_NEEDED):
        raise PanelError("Select whether the action is done or no longer needed")
    if not outcome_note.strip():
        raise PanelError("Enter the outcome")
    with transaction.atomic():
        current = _locked_action(action, version)
        current.status = status
        current.outcome_note = outcome_note.strip()
        current.closed_at = timezone.now()
        current.full_clean()
        current.save(update_fields=["status", "outcome_note", "closed_at", "updated_at"])
        _log(
            current.booking,
            by,
            Action.ALTERATION,
            f"Action {current.pk} closed: {current.get_status_display()}",
            "panel action",
        )
    return current
