"""The multi-agency panel: sessions and their slots, the cases booked into them, who is
invited, the papers, the minutes and the actions agreed. One module per concern.

Every model is re-exported here, so ``from panel.models import ...`` keeps working and
Django finds them all; each module imports only the ones it points at.
"""

from .actions import PanelAction, PanelActionUpdate
from .bookings import PanelBooking, PanelInvitee, PanelPaper
from .bookings import _paper_path as _paper_path  # migration 0001 names panel.models._paper_path
from .follow_ups import (
    EarlyOutcome,
    FollowUp,
    FollowUpActionProgress,
    PathwayClosure,
    ReminderDigest,
)
from .members import PanelMember, PanelRole
from .minutes import PanelMinutes, PanelMinutesVersion
from .papers_links import PapersLink, PapersLinkCode, PapersLinkFailure
from .sessions import PanelPattern, PanelSession, PanelSlot

__all__ = [
    "EarlyOutcome",
    "FollowUp",
    "FollowUpActionProgress",
    "PanelAction",
    "PanelActionUpdate",
    "PanelBooking",
    "PanelInvitee",
    "PanelMember",
    "PanelMinutes",
    "PanelMinutesVersion",
    "PanelPaper",
    "PanelPattern",
    "PanelRole",
    "PanelSession",
    "PanelSlot",
    "PapersLink",
    "PapersLinkCode",
    "PapersLinkFailure",
    "PathwayClosure",
    "ReminderDigest",
]
