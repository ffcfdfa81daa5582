"""Reporting reads of joint case work: contacts, activity types and practitioner feedback."""

from django.db.models import Avg, Count, Q

from jcw.models import ActivityType, JcwContact, JcwContactActivity, JcwFeedback
from jcw.reference import RATING_STATEMENTS

from ..periods import Period
from ..scope import Scope
from .aggregates import with_counts, within


def jcw_contacts(*, scope: Scope, period: Period) -> dict:
    Type = JcwContact.ContactType
    return (
        JcwContact.objects.filter(within("occurred_at", period))
        .filter(scope.q(pdu="episode__pdu", practitioner="episode__practitioner"))
        .aggregate(
            direct=Count("pk", filter=Q(contact_type=Type.DIRECT)),
            indirect=Count("pk", filter=Q(contact_type=Type.INDIRECT)),
            consultation=Count("pk", filter=Q(contact_type=Type.CONSULTATION)),
        )
    )


def jcw_activity_types(*, scope: Scope, period: Period) -> list[ActivityType]:
    """Each activity type with its direct and indirect contacts (a contact with two types counts
    under each).

    Counted from the contacts' side, the period and scope in the WHERE clause, grouped by
    activity type id; no DISTINCT is needed, as a contact has each activity type at most once
    (the `jcw_contact_activity_once` constraint). The types are a second, tiny query.
    """
    Type = JcwContact.ContactType
    counts = {
        row["activity_type_id"]: row
        for row in JcwContactActivity.objects.filter(
            within("contact__occurred_at", period),
            contact__contact_type__in=[Type.DIRECT, Type.INDIRECT],
        )
        .filter(scope.q(pdu="contact__episode__pdu", practitioner="contact__episode__practitioner"))
        .values("activity_type_id")
        .annotate(
            direct=Count("pk", filter=Q(contact__contact_type=Type.DIRECT)),
            indirect=Count("pk", filter=Q(contact__contact_type=Type.INDIRECT)),
        )
        .order_by()
    }
    return with_counts(
        ActivityType.objects.order_by("position", "name"), counts, ("direct", "indirect")
    )


FEEDBACK_RATINGS = [(name, short) for name, _statement, short in RATING_STATEMENTS] + [
    ("confidence_before", "Confidence working with the person, before"),
    ("confidence_after", "Confidence working with the person, after"),
]


def jcw_feedback(*, scope: Scope, period: Period) -> dict:
    """Practitioner feedback given in the period: the average and the spread of each rating."""
    measures = {"responses": Count("pk")}
    for name, _label in FEEDBACK_RATINGS:
        measures[f"{name}_mean"] = Avg(name)
        for value in range(1, 6):
            measures[f"{name}_{value}"] = Count("pk", filter=Q(**{name: value}))
    return (
        JcwFeedback.objects.filter(within("given_at", period))
        .filter(scope.q(pdu="episode__pdu", practitioner="episode__practitioner"))
        .aggregate(**measures)
    )
