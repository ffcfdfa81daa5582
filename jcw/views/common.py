"""Joint case work pages: what every page shares."""

from complexcases.core.access_log import (
    access_log_consultation,
)


def _consulted(request, *, episode=None, contact=None, person=None) -> None:
    """Every joint case work page shows the person: one consultation row for them."""
    if contact is not None:
        access_log_consultation(
            request=request,
            person=contact.episode.person,
            record_type="JCW contact",
            record_id=contact.pk,
        )
    elif episode is not None:
        access_log_consultation(
            request=request, person=episode.person, record_type="JCW episode", record_id=episode.pk
        )
    else:
        access_log_consultation(request=request, person=person, record_type="JCW")
