"""Writes to people: the few details the service itself holds (the rest come from the extract)."""

from django.db import transaction

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.errors import check_version, version_of

from .models import Person


def person_version(person: Person) -> str:
    return version_of(person)


def person_pom_update(
    *, person: Person, pom_name: str, pom_contact: str, version: str, changed_by
) -> Person:
    """Record the prison offender manager, refusing a stale edit."""
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        check_version(
            current,
            version,
            "Someone else changed this person's details while you were editing. "
            "Check the details below and make your change again.",
        )
        current.pom_name, current.pom_contact = pom_name.strip(), pom_contact.strip()
        current.full_clean()
        current.save(update_fields=["pom_name", "pom_contact", "updated_at"])
        access_log_record(
            user=changed_by,
            action=Action.ALTERATION,
            record_type="person",
            person=current,
            record_id=current.pk,
            detail="POM details changed",
        )
    return current
