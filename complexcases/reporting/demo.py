"""Synthetic learning log entries for the demo. Every detail is made up.

Recorded through the real service, from the demo's case heard at panel, so they carry no
names, CRNs or dates of birth. Running it again adds nothing.
"""

from complexcases.organisation.models import User
from panel.models import PanelBooking
from triage.models import Theme

from .models import LearningEntry
from .services import learning_entry_create

CASE_ADMIN_EMAIL = "case.admin@example.com"

DEMO_ENTRIES = [
    (
        "No approved premises would accept a man with a history of arson, so release was weeks away with nowhere to go.",
        "The head of PDU escalated to the regional approved premises manager, who found a place with a fire-safe room.",
        "Regional approved premises referral unit",
        ["Housing or approved premises"],
    ),
    (
        "A woman with a personality disorder diagnosis kept missing appointments after every change of practitioner.",
        "An OPD psychologically-informed formulation led to a single consistent contact and shorter, planned sessions.",
        "OPD pathway clinicians (joint case work)",
        ["Mental health", "Childhood trauma"],
    ),
    (
        "Staff kept using the wrong name and pronouns in letters, and the person stopped engaging.",
        "The equalities manager joined the panel; letters now come from a template with the chosen name, and the team had a short briefing.",
        "Equalities manager and the local authority's adult social care team",
        ["Gender identity"],
    ),
]


def demo_learning_load() -> int:
    """Add the demo learning entries once; returns how many were added."""
    if LearningEntry.objects.exists():
        return 0
    booking = PanelBooking.objects.filter(status=PanelBooking.Status.HEARD).first()
    by = User.objects.filter(email=CASE_ADMIN_EMAIL).first()
    if booking is None or by is None:
        return 0
    for blocker, what_unblocked, helped_by, themes in DEMO_ENTRIES:
        learning_entry_create(
            booking=booking,
            blocker=blocker,
            what_unblocked=what_unblocked,
            helped_by=helped_by,
            themes=Theme.objects.filter(name__in=themes),
            by=by,
        )
    return len(DEMO_ENTRIES)
