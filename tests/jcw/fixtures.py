"""A joint case work world on top of the triage world: OPD clinicians and their episodes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complexcases.organisation.roles import Role
from jcw.models import ActivityType, JcwContact
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def jcw_world(triage_world, pdus):
    """Olu, an OPD clinician in Northamptonshire, a colleague in the same OPD team, and a clinician
    in Cambridgeshire; plus everyone in the triage world (Priya, her SPO, the Complex Cases team)."""
    from jcw.reference import activity_types_ensure_defaults

    activity_types_ensure_defaults()  # seeded by a data migration, but a transactional test's flush removes them
    opd_team = TeamFactory(pdu=pdus["NORTHANTS"], name="OPD pathway team")
    clinician = UserFactory(
        first_name="Olu",
        last_name="Brennan",
        email="olu.brennan@example.com",
        pdu=pdus["NORTHANTS"],
        team=opd_team,
        roles=[Role.OPD_CLINICIAN],
    )
    colleague = UserFactory(
        first_name="Kit",
        last_name="Marsh",
        email="kit.marsh@example.com",
        pdu=pdus["NORTHANTS"],
        team=opd_team,
        roles=[Role.OPD_CLINICIAN],
    )
    other_clinician = UserFactory(
        first_name="Ash",
        last_name="Reid",
        email="ash.reid@example.com",
        pdu=pdus["CAMBS"],
        roles=[Role.OPD_CLINICIAN],
    )
    head = UserFactory(
        first_name="Harper",
        last_name="Grant",
        email="harper.grant@example.com",
        pdu=pdus["NORTHANTS"],
        roles=[Role.HEAD_OF_SERVICE],
    )
    return {
        **triage_world,
        "clinician": clinician,
        "colleague": colleague,
        "other_clinician": other_clinician,
        "head": head,
    }


def activity(code: str) -> ActivityType:
    return ActivityType.objects.get(code=code)


def an_episode(world, person_key="listed", *, clinician=None, **changes):
    """Open joint case work with an aim (Adams is screened in to OPD; the others need a reason)."""
    from jcw.services import jcw_episode_open

    arguments = {
        "person": world[person_key],
        "clinician": clinician or world["clinician"],
        "started_on": timezone.localdate() - timedelta(days=30),
        "planned_sessions": 4,
        "dilemma": "Keeps missing appointments after a change of practitioner.",
        "desired_outcome": "A shared formulation and a plan the practitioner can use.",
        "not_screened_in_reason": "" if person_key == "listed" else "Complex trauma history",
        **changes,
    }
    return jcw_episode_open(**arguments)


def a_contact(world, episode, *, days_ago=1, **changes):
    from jcw.services import jcw_contact_record

    arguments = {
        "episode": episode,
        "contact_type": JcwContact.ContactType.INDIRECT,
        "occurred_at": timezone.now() - timedelta(days=days_ago),
        "activity_types": [activity("formulation_create")],
        "clinician_took_part": True,
        "practitioner_took_part": True,
        "notes": "Talked through the pattern of missed appointments.",
        "by": episode.clinician,
        **changes,
    }
    return jcw_contact_record(**arguments)
