"""Writes for reporting: recording a learning entry from a heard panel case."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from complexcases.core.access_log import Action, access_log_record
from complexcases.organisation.models import User
from panel.models import PanelBooking
from triage.models import Theme

from .models import LearningEntry
from .validators import as_read

TEXT_FIELDS = ("blocker", "what_unblocked", "helped_by")


class LearningError(Exception):
    """A learning entry that cannot be recorded, with a message to show."""


def _names_in_case(booking: PanelBooking) -> list[str]:
    """The names the entry must not contain: the person's, and their practitioner's."""
    person, practitioner = booking.person, booking.person.practitioner
    names = [person.surname, *person.forenames.split()]
    names += [practitioner.last_name, practitioner.first_name]
    return [name for name in names if len(name.strip()) >= 3]


def _identifying_names(texts: dict[str, str], names: Iterable[str]) -> dict[str, str]:
    errors = {}
    for field, text in texts.items():
        for name in names:
            if re.search(rf"\b{re.escape(as_read(name).strip())}\b", as_read(text), re.IGNORECASE):
                errors[field] = (
                    f"Remove the name “{name.strip()}”: the learning log must not identify anyone"
                )
                break
    return errors


def learning_entry_create(
    *,
    booking: PanelBooking,
    blocker: str,
    what_unblocked: str,
    helped_by: str,
    themes: Iterable[Theme],
    by: User,
) -> LearningEntry:
    """Add an anonymised learning entry from a case heard at panel; refuses names, CRNs and dates of birth."""
    with transaction.atomic():
        current = (
            PanelBooking.objects.select_for_update(of=("self",))
            .select_related("person", "person__practitioner", "slot__session")
            .get(pk=booking.pk)
        )
        if current.status != PanelBooking.Status.HEARD:
            raise LearningError(
                "You can only record learning from a case that has been heard at panel"
            )
        texts = {
            "blocker": blocker.strip(),
            "what_unblocked": what_unblocked.strip(),
            "helped_by": helped_by.strip(),
        }
        errors = _identifying_names(texts, _names_in_case(current))
        themes = list(themes)
        if not themes:
            errors["themes"] = "Select at least one theme"
        if errors:
            raise ValidationError(errors)
        entry = LearningEntry(
            booking=current, region_id=current.slot.session.region_id, created_by=by, **texts
        )
        entry.full_clean()
        entry.save()
        entry.themes.set(themes)
        access_log_record(
            user=by,
            action=Action.COLLECTION,
            record_type="learning entry",
            person=current.person,
            record_id=entry.pk,
            detail="Anonymised learning recorded from a panel case",
        )
    return entry
