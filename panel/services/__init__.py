"""Panel writes, one module per concern. Each change locks what it changes, checks where it
stands, and says why not (``PanelError``).

The names are re-exported here so ``from panel.services import ...`` keeps working for
code written before the split; new code imports from the module that owns the concern.
"""

from .actions import ActionDraft, panel_action_close, panel_action_update, panel_actions_add
from .bookings import (
    panel_booking_cancel,
    panel_booking_create,
    panel_deputy_nominate,
    panel_invitations_send,
    panel_invitee_add,
    panel_invitee_remove,
)
from .common import PANEL_LOCK_NAMESPACE, Booking, PanelError, StalePanelError
from .follow_ups import (
    follow_up_qdo_for,
    follow_up_reassign,
    follow_up_record,
    follow_up_schedule,
    pathway_close,
)
from .minutes import panel_minutes_finalise, panel_minutes_save
from .papers import panel_paper_add, panel_paper_remove, panel_papers_release
from .reminders import Digest, reminder_digests, reminders_send
from .sessions import (
    panel_pattern_create,
    panel_session_cancel,
    panel_session_create,
    panel_session_move,
    panel_sessions_generate,
)

__all__ = [
    "PANEL_LOCK_NAMESPACE",
    "ActionDraft",
    "Booking",
    "Digest",
    "PanelError",
    "StalePanelError",
    "follow_up_qdo_for",
    "follow_up_reassign",
    "follow_up_record",
    "follow_up_schedule",
    "panel_action_close",
    "panel_action_update",
    "panel_actions_add",
    "panel_booking_cancel",
    "panel_booking_create",
    "panel_deputy_nominate",
    "panel_invitations_send",
    "panel_invitee_add",
    "panel_invitee_remove",
    "panel_minutes_finalise",
    "panel_minutes_save",
    "panel_paper_add",
    "panel_paper_remove",
    "panel_papers_release",
    "panel_pattern_create",
    "panel_session_cancel",
    "panel_session_create",
    "panel_session_move",
    "panel_sessions_generate",
    "pathway_close",
    "reminder_digests",
    "reminders_send",
]
