"""Subject access: everything the service holds about one person, as a document and as JSON.

Gathered for the data protection officer from the sections each app registers
(``core.registry.register_subject_access``); staff names can be redacted; producing it is
logged as a disclosure.
"""

from django.db.models import Model

from .registry import subject_access_sections


def _staff(user, redact: bool) -> str:
    if user is None:
        return ""
    return "[member of staff]" if redact else user.get_full_name()


def _fields(instance: Model, *, exclude=(), redact: bool, staff_fields=()) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name == "id":
            continue
        if field.name in staff_fields:
            data[field.name] = _staff(getattr(instance, field.name), redact)
        elif field.is_relation:
            continue
        else:
            value = getattr(instance, field.attname)
            data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def subject_access_report(*, person, redact_staff: bool) -> dict:
    """Every record about the person, by kind; no other person's data."""
    report: dict = {}
    for section in subject_access_sections():
        report.update(section.build(person=person, redact_staff=redact_staff))
    return report


def person_section(*, person, redact_staff: bool) -> dict:
    """The person's own details."""
    redact = redact_staff
    return {
        "person": {
            **_fields(person, redact=redact, staff_fields=("practitioner",)),
            "pdu": person.pdu.name,
            # The POM is a member of (prison) staff.
            **(
                {"pom_name": "[redacted]", "pom_contact": "[redacted]"}
                if redact and person.pom_name
                else {}
            ),
        }
    }


def access_log_section(*, person, redact_staff: bool) -> dict:
    """Who consulted, changed, exported or sent the person's records, and each email's sends."""
    from .models import AccessLogEntry, EmailDelivery

    redact = redact_staff
    sends: dict[int, list[dict]] = {}
    for send in EmailDelivery.objects.filter(
        disclosure__in=AccessLogEntry.objects.filter(person_id=person.pk).values("pk")
    ).order_by("at"):
        sends.setdefault(send.disclosure_id, []).append(
            {
                "at_utc": send.at.isoformat(),
                "template": send.template,
                "recipient": "[redacted]" if redact else send.recipient,
                "status": send.status,
            }
        )
    return {
        "access_log": [
            {
                "at_utc": a.at.isoformat(),
                "by": _staff(a.user, redact),
                "action": a.action,
                "record_type": a.record_type,
                "detail": a.detail,
                "recipient": "[redacted]" if redact and a.recipient else a.recipient,
                **({"emails": sends[a.pk]} if a.pk in sends else {}),
            }
            for a in AccessLogEntry.objects.filter(person_id=person.pk)
            .select_related("user")
            .order_by("at")
        ]
    }
