"""The person page makes the same number of queries however long the person's history.

Every section grows here at once: months listed with reflective conversations, triage
requests with meetings and outcomes, panel bookings with minutes, joint case work with
contacts, activities and feedback, pathway overrides and changes to the person's details.
An N+1 query in any of them fails. docs/performance.md measures the page at national scale.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complexcases.organisation.roles import Role
from complexcases.screening.models import PathwayOverride
from jcw.models import JcwEpisode
from panel.models import PanelMinutes
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.reporting.builders import (
    HOUSING,
    build_world,
    conversation,
    heard,
    jcw_contact,
    jcw_episode,
    jcw_feedback,
    listed,
    triage,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # once-per-session and per-process look-ups first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def more_history(world, who, times: int = 3) -> None:
    """`times` more of everything on the person's page."""
    for n in range(times):
        month = date(2026, 4 + n, 1)
        entry = listed(month, who, "listed_again", [1, 2, 3, 4, 5, 6])
        conversation(entry, world)
        request = triage(
            world,
            who,
            requested=month + timedelta(days=5),
            met=month + timedelta(days=10),
            outcome="refer_to_panel",
            themes=(HOUSING,),
        )
        booking = heard(
            world, request, on=month + timedelta(days=20), attendance={"chair": "attended"}
        )
        PanelMinutes.objects.create(
            booking=booking, status="final", chair_summary=f"Summary {n}", updated_by=world.admin
        )
        JcwEpisode.objects.filter(person=who, status=JcwEpisode.Status.OPEN).update(
            status=JcwEpisode.Status.CLOSED,
            outcome=JcwEpisode.Outcome.ACHIEVED,
            closing_note=f"Ended {n}",
            closed_on=date(2026, 9, 1 + n),
        )
        episode = jcw_episode(world, who)  # one open at a time
        contact = jcw_contact(
            world,
            episode,
            on=month + timedelta(days=12),
            kind="direct",
            activities=("letter", "case_review"),
            session=1,
        )
        jcw_feedback(episode, contact, given=month + timedelta(days=13), ratings=(4,) * 7)
        PathwayOverride.objects.create(
            person=who, reason=f"Override {n}", criteria_met_count=5, marked_by=world.spo
        )
        who.pom_name = f"POM {n}"
        who.save()


@pytest.mark.parametrize("viewer", ["programme manager", "practitioner"])
def test_the_person_page_makes_as_many_queries_for_a_long_history_as_for_a_short_one(
    client, viewer, django_assert_max_num_queries
):
    world = build_world()
    who = world.people["N1"]
    user = (
        UserFactory(roles=[Role.PROGRAMME_MANAGER])
        if viewer == "programme manager"
        else who.practitioner
    )
    sign_in_verified(client, user)
    url = reverse("people:person", args=[who.crn])
    short, _ = queries(client, url)

    more_history(world, who)

    with django_assert_max_num_queries(short):
        client.get(url)
    long, page = queries(client, url)
    assert long == short
    # The history did grow on the page, so the count above compares like with like.
    assert page.count("Reflective conversation recorded") == 4
    assert page.count("Triage requested") == 4
    assert "Summary 2" in page
    assert page.count("Override 2") == 2  # its own section and the timeline
    assert "Ended 2" in page
