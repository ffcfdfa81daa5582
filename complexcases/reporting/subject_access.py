"""The learning log's part of a subject access report: what the person's panel cases taught.

The log itself never shows or links a case; the report gives the person what was recorded
from theirs.
"""

from complexcases.core.subject_access import _staff

from .models import LearningEntry


def learning_subject_access(*, person, redact_staff: bool) -> dict:
    entries = (
        LearningEntry.objects.filter(booking__person=person)
        .select_related("created_by", "booking__slot")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )
    return {
        "learning_entries": [
            {
                "panel_on_utc": entry.booking.slot.starts_at.isoformat(),
                "blocker": entry.blocker,
                "what_unblocked": entry.what_unblocked,
                "helped_by": entry.helped_by,
                "themes": [theme.name for theme in entry.themes.all()],
                "recorded_by": _staff(entry.created_by, redact_staff),
                "recorded_at": entry.created_at.isoformat(),
            }
            for entry in entries
        ]
    }
