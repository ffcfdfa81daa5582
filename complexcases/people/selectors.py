"""Reads that gather a person's whole pathway from every workflow."""

from complexcases.core.timeline import TimelineEvent
from complexcases.screening.models import MonthlyListEntry, PathwayOverride
from complexcases.screening.selectors import screening_timeline_events
from jcw.selectors import jcw_timeline_events
from panel.selectors import panel_timeline_events
from triage.models import TriageRequest
from triage.selectors import triage_timeline_events

from .models import Person


def person_timeline(
    person: Person,
    *,
    user,
    entries: list[MonthlyListEntry] | None = None,
    overrides: list[PathwayOverride] | None = None,
    triage_requests: list[TriageRequest] | None = None,
) -> list[TimelineEvent]:
    """The person's history on the pathway that this user may see, newest first.

    The person page passes the list entries, overrides and triage requests it has read for
    its other sections, so the timeline does not read them again.
    """
    events = (
        screening_timeline_events(person, entries=entries, overrides=overrides)
        + triage_timeline_events(person, user=user, requests=triage_requests)
        + panel_timeline_events(person, user=user)
        + jcw_timeline_events(person, user=user)
    )
    # Stable: entries of the same day with no time keep the order their workflow gave them.
    return sorted(events, key=TimelineEvent.sort_key, reverse=True)
