"""Reads that gather a person's whole pathway from every workflow."""

from complexcases.core.timeline import TimelineEvent
from complexcases.screening.selectors import screening_timeline_events
from jcw.selectors import jcw_timeline_events
from panel.selectors import panel_timeline_events
from triage.selectors import triage_timeline_events

from .models import Person


def person_timeline(person: Person, *, user) -> list[TimelineEvent]:
    """The person's history on the pathway that this user may see, newest first."""
    events = (
        screening_timeline_events(person)
        + triage_timeline_events(person, user=user)
        + panel_timeline_events(person, user=user)
        + jcw_timeline_events(person, user=user)
    )
    return sorted(events, key=lambda event: event.when, reverse=True)
