"""The objects the access matrix and the POST fuzzing need: one user per role, and for each
object kind one that Priya's team may see and one it may not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complexcases.organisation.roles import Role as R
from complexcases.organisation.services import staff_roles_request
from complexcases.people.models import Person
from complexcases.screening.models import ExtractUpload
from complexcases.screening.selectors import current_list_entry
from complexcases.screening.services import reflective_conversation_record
from tests.factories import UserFactory
from tests.jcw.fixtures import a_contact, an_episode
from tests.panel_fixtures import panel_kwargs, panel_matrix_objects
from tests.triage_fixtures import a_request


@pytest.fixture
def matrix(triage_world, jcw_world, pdus):
    """One user per role, and for each object kind one that Priya's team may see and one it may not."""
    world = triage_world
    users = {
        R.PROBATION_PRACTITIONER: world["priya"],
        R.SENIOR_PROBATION_OFFICER: world["spo"],
        R.PROGRAMME_MANAGER: world["manager"],
        R.CASE_ADMINISTRATOR: world["admin"],
        R.QUALITY_DEVELOPMENT_OFFICER: world["qdo"],
        R.SENIOR_FORENSIC_PSYCHOLOGIST: world["psychologist"],
        R.HEAD_OF_SERVICE: UserFactory(pdu=pdus["NORTHANTS"], roles=[R.HEAD_OF_SERVICE]),
        R.PANEL_MEMBER: UserFactory(roles=[R.PANEL_MEMBER]),
        R.OPD_CLINICIAN: jcw_world["clinician"],  # in Northamptonshire, with joint case work there
        R.DATA_PROTECTION_OFFICER: UserFactory(roles=[R.DATA_PROTECTION_OFFICER]),
        R.SYSTEM_ADMINISTRATOR: UserFactory(roles=[R.SYSTEM_ADMINISTRATOR], is_staff=True),
    }
    mine, theirs = world["listed"], world["elsewhere"]
    conversation = reflective_conversation_record(
        entry=current_list_entry(mine),
        held_on=timezone.localdate() - timedelta(days=1),
        spo=world["spo"],
        notes="n",
        outcome="no_further_support",
        recorded_by=world["priya"],
    )
    upload = ExtractUpload.objects.create(filename="x.csv", uploaded_by=world["admin"])
    # Panel objects first: their triage requests are closed before the open ones below are made.
    panel_visible, panel_hidden = panel_matrix_objects(world, users)
    episode = an_episode(jcw_world)
    hidden_episode = an_episode(jcw_world, "elsewhere", clinician=jcw_world["other_clinician"])
    # Someone no other check signs in as (the fuzzing may change their roles), with a change
    # asked for by another administrator, so the matrix's one may approve it (ADR 0021).
    staff_member = UserFactory(roles=[R.PANEL_MEMBER])
    role_change = staff_roles_request(
        staff=staff_member,
        roles=[R.PANEL_MEMBER, R.OPD_CLINICIAN],
        requested_by=UserFactory(roles=[R.SYSTEM_ADMINISTRATOR], is_staff=True),
    )
    return {
        "users": users,
        "visible": {
            "person": mine,
            "conversation": conversation,
            "triage": (visible_triage := a_request(world)),
            "case": visible_triage.case,
            "case-history": visible_triage.case,
            "upload": upload,
            **panel_visible,
            "episode": episode,
            "contact": a_contact(jcw_world, episode),
            "staff": staff_member,
            "role-change": role_change,
        },
        "hidden": {
            "person": theirs,
            "conversation": None,  # no conversation exists outside Priya's team in this world
            "triage": (
                hidden_triage := a_request(
                    world,
                    "elsewhere",
                    person=_another_elsewhere(world),
                    requested_by=world["other"],
                )
            ),
            "case": hidden_triage.case,
            "case-history": hidden_triage.case,
            "upload": None,  # uploads are not per person: any case administrator may follow any upload
            **panel_hidden,
            "episode": hidden_episode,
            "contact": a_contact(jcw_world, hidden_episode),
            "staff": None,  # system administrators manage every member of staff
            "role-change": None,
        },
    }


def _another_elsewhere(world):
    """A second person in Cambridgeshire: the first has a case at panel, and a person has one
    open case at a time, so the out-of-scope triage request is theirs."""
    first = world["elsewhere"]
    return Person.objects.create(
        crn="B000009",
        surname="Fenn",
        forenames="Ali",
        date_of_birth=first.date_of_birth,
        pdu=first.pdu,
        practitioner=first.practitioner,
        custody_status=first.custody_status,
        as_at=first.as_at,
    )


def kwargs_for(kind, obj):
    if kind in (None,):
        return {}
    if kind == "person":
        return {"crn": obj.crn}
    if kind == "conversation":
        return {"crn": obj.person.crn, "conversation_id": obj.pk}
    if kind == "triage":
        return {"pk": obj.pk}
    if kind == "case":
        return {"reference": obj.reference}
    if kind == "case-history":
        return {"reference": obj.reference, "part": "history"}
    if kind == "upload":
        return {"upload_id": obj.pk}
    if kind in ("episode", "contact", "staff", "role-change"):
        return {"pk": obj.pk}
    if kind.startswith("panel-"):
        return panel_kwargs(kind, obj)
    raise AssertionError(kind)
