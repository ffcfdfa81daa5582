from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TimelineEvent:
    """One entry on a person's MoJ timeline."""

    when: date
    title: str
    description: str
    by: str = ""
