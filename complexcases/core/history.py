"""Record history (django-simple-history) as changes a person can read: who changed what, from what to what."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    when: datetime
    who: str
    kind: str  # "Created" / "Changed" / "Deleted"
    reason: str
    changes: list[FieldChange]


KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _shown(value) -> str:
    return "blank" if value in (None, "") else str(value)


def record_changes(instance, *, limit: int = 50) -> list[RecordChange]:
    """The newest changes to a record, each with its field-by-field differences."""
    model = instance.__class__
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    changes = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        diffs = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                labels = (
                    dict(field.flatchoices) if field.choices else {}
                )  # "In custody", not "custody"
                diffs.append(
                    FieldChange(
                        str(field.verbose_name),
                        _shown(labels.get(change.old, change.old)),
                        _shown(labels.get(change.new, change.new)),
                    )
                )
        changes.append(
            RecordChange(
                when=record.history_date,
                who=record.history_user.get_full_name() if record.history_user else "The service",
                kind=KINDS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=diffs,
            )
        )
    return changes
