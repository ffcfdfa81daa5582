from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complexcases.organisation.roles import Role
from complexcases.outcomes.services import outcomes_refresh
from tests.factories import UserFactory

from .builders import TODAY, build_world


@pytest.fixture
def on_today():
    """The clock at noon on 15 August 2026, the world's "today"."""
    with time_machine.travel(
        datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    ):
        yield


@pytest.fixture
def world(db, on_today):
    """The hand-countable world (tests/outcomes/builders.py)."""
    return build_world()


@pytest.fixture
def refreshed(world):
    """The world with its summaries rebuilt."""
    outcomes_refresh()
    return world


@pytest.fixture
def programme_manager(db):
    return UserFactory(pdu=None, roles=[Role.PROGRAMME_MANAGER])


@pytest.fixture
def head_of_alpha(world):
    return UserFactory(pdu=world.pdus["A"], roles=[Role.HEAD_OF_SERVICE])


@pytest.fixture
def regional_head(world):
    from complexcases.reporting.models import RegionalHead

    user = UserFactory(pdu=None, roles=[Role.HEAD_OF_SERVICE])
    RegionalHead.objects.create(user=user, region=world.pdus["A"].region)
    return user
