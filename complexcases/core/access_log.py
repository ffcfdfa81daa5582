"""Writing the section 62 access log. Call inside the transaction of the change it records."""

from collections.abc import Iterable

from .middleware import current_request_id
from .models import AccessLogEntry

Action = AccessLogEntry.Action


def access_log_record(
    *,
    user,
    action: str,
    record_type: str,
    person=None,
    record_id: object = "",
    detail: str = "",
    recipient: str = "",
) -> AccessLogEntry:
    """Log one action on one person's data (or on no one person: an import, an export of counts)."""
    return AccessLogEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        person_id=person.pk if person is not None else None,
        person_crn=person.crn if person is not None else "",
        record_type=record_type,
        record_id=str(record_id),
        action=action,
        detail=detail[:200],
        recipient=recipient[:300],
        request_id=current_request_id(),
    )


def access_log_record_many(
    *, user, action: str, record_type: str, people: Iterable, detail: str = "", recipient: str = ""
) -> None:
    """Log the same action for each person shown (a list page, an export)."""
    request_id = current_request_id()
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=user if user is not None and user.is_authenticated else None,
                person_id=person.pk,
                person_crn=person.crn,
                record_type=record_type,
                action=action,
                detail=detail[:200],
                recipient=recipient[:300],
                request_id=request_id,
            )
            for person in people
        ],
        batch_size=2000,
    )


def access_log_consultation(*, request, person, record_type: str, record_id: object = "") -> None:
    """A page showed this person's data to the signed-in user: one consultation row."""
    from django.db import transaction

    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=Action.CONSULTATION,
            record_type=record_type,
            person=person,
            record_id=record_id,
        )
