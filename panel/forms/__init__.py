"""Panel forms, one module per concern, re-exported here for ``from panel.forms import ...``."""

from .after_panel import ActionCloseForm, ActionUpdateForm, FollowUpForm, QdoForm
from .bookings import AddExternalInviteeForm, AddStaffInviteeForm, BookForm, DeputyForm
from .common import EMAIL_ERRORS
from .minutes import ACTION_ROWS, AGENDA, ATTENDANCE_CHOICES, ActionForm, MinutesForm
from .papers import PaperForm
from .papers_links import PapersAddressForm, PapersCodeForm
from .sessions import (
    AdHocSessionForm,
    MoveSessionForm,
    PatternForm,
    ReasonForm,
    RegionField,
    SlotsMixin,
)

__all__ = [
    "ACTION_ROWS",
    "AGENDA",
    "ATTENDANCE_CHOICES",
    "EMAIL_ERRORS",
    "ActionCloseForm",
    "ActionForm",
    "ActionUpdateForm",
    "AdHocSessionForm",
    "AddExternalInviteeForm",
    "AddStaffInviteeForm",
    "BookForm",
    "DeputyForm",
    "FollowUpForm",
    "MinutesForm",
    "MoveSessionForm",
    "PaperForm",
    "PapersAddressForm",
    "PapersCodeForm",
    "PatternForm",
    "QdoForm",
    "ReasonForm",
    "RegionField",
    "SlotsMixin",
]
