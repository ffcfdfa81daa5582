"""cases 0002 groups the records made before the case existed: from the previous schema, with
existing records, the migration must make the cases the services make today."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from complexcases.cases.models import Case
from panel.models import FollowUp, PanelBooking
from panel.services import panel_booking_create, panel_minutes_finalise, panel_minutes_save
from tests.panel_fixtures import a_session, held, referred
from tests.triage_fixtures import a_request
from triage.models import TriageRequest
from triage.services import triage_withdraw

BEFORE = [
    ("triage", "0004_record_history"),
    ("panel", "0004_early_outcomes_from_domain"),
    ("cases", None),
]


def grouping() -> set[tuple]:
    """Each case as (person, status, closed reason, its requests, its bookings)."""
    return {
        (
            case.person.crn,
            case.status,
            case.closed_reason,
            tuple(sorted(TriageRequest.objects.filter(case=case).values_list("pk", flat=True))),
            tuple(sorted(PanelBooking.objects.filter(case=case).values_list("pk", flat=True))),
        )
        for case in Case.objects.select_related("person")
    }


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_groups_existing_records_as_the_services_do(panel_world):
    w = panel_world
    admin = w["admin"]
    # Listed: referred (panel_world), heard at panel, now in follow-up.
    booking = panel_booking_create(
        slot=w["session"].slots.first(), triage_record=w["record"], by=admin
    )
    held(booking)
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Agreed."},
        attendance={invitee.pk: "attended" for invitee in booking.invitees.all()},
        by=admin,
    )
    panel_minutes_finalise(booking=booking, by=admin)
    # Unlisted: a request withdrawn, then a later one referred and waiting for a slot.
    triage_withdraw(request=a_request(w, "unlisted"), reason="Not needed", by=w["priya"])
    referred(w, "unlisted")
    # Elsewhere: referred, booked into a session next month.
    elsewhere = referred(w, "elsewhere", requested_by=w["other"])
    later = a_session(w, starts_at=timezone.now() + timedelta(days=40))
    panel_booking_create(slot=later.slots.first(), triage_record=elsewhere, by=admin)

    made_by_the_services = grouping()
    assert {(crn, status) for crn, status, *_ in made_by_the_services} == {
        ("A000001", Case.Status.IN_FOLLOW_UP),
        ("A000002", Case.Status.CLOSED),
        ("A000002", Case.Status.AWAITING_PANEL),
        ("B000001", Case.Status.BOOKED),
    }
    assert FollowUp.objects.count() == 1

    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'triage_triagerequest' AND column_name = 'case_id'"
        )
        assert cursor.fetchall() == []
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert grouping() == made_by_the_services
    for case in Case.objects.all():
        assert case.reference == f"CC-{case.opened_at:%Y}-{case.pk:05d}"
        assert case.closed_at is None or case.closed_at >= case.opened_at
