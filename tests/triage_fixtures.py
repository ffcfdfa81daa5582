from datetime import date, timedelta

import pytest
from django.utils import timezone

from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.screening.services import extract_import, monthly_list_generate
from tests.factories import TeamFactory, UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row


@pytest.fixture
def triage_world(pdus):
    """Priya's listed case (Adams), an unlisted case (Brown), her SPO, and the Complex Cases team."""
    from triage.reference import themes_ensure_defaults

    themes_ensure_defaults()  # seeded by a data migration, but a transactional test's flush removes them
    team = TeamFactory(pdu=pdus["NORTHANTS"], name="Northampton North")
    spo = UserFactory(
        first_name="Sam",
        last_name="Okafor",
        email="sam.okafor@example.com",
        pdu=pdus["NORTHANTS"],
        team=team,
        roles=[Role.SENIOR_PROBATION_OFFICER],
    )
    priya = UserFactory(
        first_name="Priya",
        last_name="Hughes",
        staff_code="N01P001",
        email="priya.hughes@example.com",
        pdu=pdus["NORTHANTS"],
        team=team,
        line_manager=spo,
        roles=[Role.PROBATION_PRACTITIONER],
    )
    other = UserFactory(
        staff_code="C01P001",
        email="c@example.com",
        pdu=pdus["CAMBS"],
        roles=[Role.PROBATION_PRACTITIONER],
    )
    manager = UserFactory(
        first_name="Morgan",
        last_name="Ellis",
        email="morgan.ellis@example.com",
        roles=[Role.PROGRAMME_MANAGER],
    )
    admin = UserFactory(
        first_name="Casey",
        last_name="Adeyemi",
        email="casey@example.com",
        roles=[Role.CASE_ADMINISTRATOR],
    )
    qdo = UserFactory(
        first_name="Quinn",
        last_name="Dawson",
        email="quinn@example.com",
        roles=[Role.QUALITY_DEVELOPMENT_OFFICER],
    )
    psychologist = UserFactory(
        first_name="Fran",
        last_name="Lowe",
        email="fran@example.com",
        roles=[Role.SENIOR_FORENSIC_PSYCHOLOGIST],
    )
    today = timezone.localdate()
    month = today.replace(day=1)
    extract_import(
        source=extract_csv(
            [
                row(
                    extract_date=month.isoformat(),
                    crn="A000001",
                    surname="Adams",
                    forenames="Jo",
                    **SIX_CRITERIA,
                ),
                row(
                    extract_date=month.isoformat(),
                    crn="A000002",
                    surname="Brown",
                    forenames="Lee",
                    custody_status="custody",
                    expected_release_date=(today + timedelta(days=30)).isoformat(),
                ),
                row(
                    extract_date=month.isoformat(),
                    crn="B000001",
                    surname="Evans",
                    pdu_code="CAMBS",
                    pp_staff_code="C01P001",
                    pp_email="c@example.com",
                    pp_name="Cambs, C",
                ),
            ]
        ),
        filename="e.csv",
        imported_by=None,
    )
    monthly_list_generate(month=month)
    return {
        "priya": priya, "spo": spo, "other": other, "manager": manager, "admin": admin, "qdo": qdo,
        "psychologist": psychologist,
        "listed": Person.objects.get(crn="A000001"), "unlisted": Person.objects.get(crn="A000002"),
        "elsewhere": Person.objects.get(crn="B000001"),
    }  # fmt: skip


def a_request(world, person_key="listed", **changes):
    from triage.services import triage_request_create

    arguments = {
        "person": world[person_key],
        "requested_by": world["priya"],
        "requester_role": "practitioner",
        "blockers": "No accommodation on release; hostile to staff.",
        "tried": "Referrals to two approved premises.",
        "support_sought": "Help finding an AP place.",
        "urgent": False,
        "listed_this_month": person_key == "listed",
        "below_threshold_reason": "" if person_key == "listed" else "Housing crisis",
        **changes,
    }
    return triage_request_create(**arguments)


def requested_days_ago(request, days: int):
    """Date the request back, as if it was made `days` ago (requested_at is set on save)."""
    request.requested_at = timezone.now() - timedelta(days=days)
    request.__class__.objects.filter(pk=request.pk).update(requested_at=request.requested_at)
    return request


def next_week_at_10():
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10, 0))


__all__ = ["a_request", "date", "next_week_at_10", "requested_days_ago"]
