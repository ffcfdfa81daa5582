from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class TimelineEvent:
    """One entry on a person's MoJ timeline."""

    when: date
    title: str
    description: str
    by: str = ""
    at: datetime | None = None  # the moment, when known: orders entries of the same day
    href: str = ""  # the record the entry is about, when the user may open it
    case_id: int | None = None  # the case it belongs to (the case page shows only its own)

    def sort_key(self) -> tuple:
        """Day first; within a day, timed entries by their time, ahead of those with none."""
        return (self.when, self.at is not None, self.at.timestamp() if self.at else 0)
