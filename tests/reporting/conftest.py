from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complexcases.organisation.roles import Role
from tests.factories import UserFactory

from .builders import TODAY, build_world


@pytest.fixture
def world(db):
    """The hand-countable data set (tests/reporting/builders.py)."""
    return build_world()


@pytest.fixture
def on_today():
    """The clock at noon on 15 September 2026, the data set's "today"."""
    with time_machine.travel(
        datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    ):
        yield


@pytest.fixture
def head_of_northants(world):
    return UserFactory(pdu=world.pdus["NORTHANTS"], roles=[Role.HEAD_OF_SERVICE])


@pytest.fixture
def regional_head(world):
    from complexcases.organisation.models import Region
    from complexcases.reporting.models import RegionalHead

    user = UserFactory(pdu=None, roles=[Role.HEAD_OF_SERVICE])
    RegionalHead.objects.create(user=user, region=Region.objects.get(code="EOE"))
    return user


@pytest.fixture
def programme_manager(world):
    return UserFactory(roles=[Role.PROGRAMME_MANAGER])
