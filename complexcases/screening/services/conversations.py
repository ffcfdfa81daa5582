"""Writes for screening: reflective conversations and pathway overrides."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.organisation.models import User
from complexcases.people.models import Person

from ..models import (
    Extract,
    MonthlyListEntry,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from .errors import ScreeningError


def reflective_conversation_record(
    *,
    entry: MonthlyListEntry,
    held_on: date,
    spo: User,
    notes: str,
    outcome: str,
    recorded_by: User,
) -> ReflectiveConversation:
    """Record the conversation for a listed case (once per case per month)."""
    with transaction.atomic():
        entry = (
            MonthlyListEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
        )
        if entry.status == MonthlyListEntry.Status.NO_LONGER_LISTED:
            raise ScreeningError(
                "This person is no longer listed, so no reflective conversation is needed"
            )
        if ReflectiveConversation.objects.filter(entry=entry).exists():
            raise ScreeningError(
                "A reflective conversation has already been recorded for this case this month"
            )
        if held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": "The date of the conversation must be today or in the past"}
            )
        conversation = ReflectiveConversation(
            entry=entry,
            person=entry.person,
            held_on=held_on,
            spo=spo,
            notes=notes,
            outcome=outcome,
            recorded_by=recorded_by,
        )
        conversation.full_clean()
        conversation.save()
        access_log_record(
            user=recorded_by,
            action=Action.COLLECTION,
            record_type="reflective conversation",
            person=entry.person,
            record_id=conversation.pk,
        )
    return conversation


def pathway_override_record(*, person: Person, reason: str, marked_by: User) -> PathwayOverride:
    """Mark a person below the threshold for the pathway, with the reason; once per extract."""
    from ..selectors import current_list_entry

    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        entry = current_list_entry(person)
        if entry is not None and entry.status != MonthlyListEntry.Status.NO_LONGER_LISTED:
            raise ScreeningError(
                "This person is on this month's list, so they are already on the pathway"
            )
        latest = Screening.objects.filter(person=person).order_by("-as_at").first()
        # Once per extract: the newest extract, not the start of the person's screening
        # version, which can be months older (ADR 0018).
        newest_extract = (
            Extract.objects.order_by("-extract_date").values_list("extract_date", flat=True).first()
        )
        already = PathwayOverride.objects.filter(person=person)
        if newest_extract is not None:
            already = already.filter(marked_at__date__gte=newest_extract)
        if already.exists():
            raise ScreeningError(
                "This person has already been marked for the pathway since the latest extract"
            )
        override = PathwayOverride(
            person=person,
            reason=reason,
            criteria_met_count=latest.criteria_met_count if latest else None,
            marked_by=marked_by,
        )
        override.full_clean()
        override.save()
        access_log_record(
            user=marked_by,
            action=Action.COLLECTION,
            record_type="pathway override",
            person=person,
            record_id=override.pk,
        )
    return override
