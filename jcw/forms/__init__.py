"""Joint case work forms, one module per concern (as jcw/views); this package re-exports them."""

from .caseload import CRN_PATTERN, FindPersonForm
from .contacts import CONTACT_TYPE_CHOICES, ContactForm, PractitionerViewForm
from .counts import PERIODS
from .episodes import AimForm, AimMixin, CloseForm, EpisodeOpenForm
from .feedback import FeedbackForm

__all__ = [
    "CONTACT_TYPE_CHOICES",
    "CRN_PATTERN",
    "PERIODS",
    "AimForm",
    "AimMixin",
    "CloseForm",
    "ContactForm",
    "EpisodeOpenForm",
    "FeedbackForm",
    "FindPersonForm",
    "PractitionerViewForm",
]
