import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from complexcases.organisation.models import ProbationDeliveryUnit
from complexcases.organisation.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ProbationDeliveryUnitFactory, RegionFactory, UserFactory

pytest_plugins = [
    "tests.triage_fixtures",
    "tests.panel_fixtures",
    "tests.jcw.fixtures",
    "tests.access_fixtures",
    "tests.oidc_provider",
]

# Property tests draw the same examples on every run, so a commit that passed here passes in
# CI; `make fuzz` draws new ones to look for more (ADR 0020). Loaded before any test module
# builds its own settings, which inherit from it.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("fuzz", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLE_FIXTURES = {
    "practitioner": Role.PROBATION_PRACTITIONER,
    "spo": Role.SENIOR_PROBATION_OFFICER,
    "programme_manager": Role.PROGRAMME_MANAGER,
    "case_admin": Role.CASE_ADMINISTRATOR,
    "panel_member": Role.PANEL_MEMBER,
    "qdo": Role.QUALITY_DEVELOPMENT_OFFICER,
    "opd_clinician": Role.OPD_CLINICIAN,
    "head_of_service": Role.HEAD_OF_SERVICE,
    "system_admin": Role.SYSTEM_ADMINISTRATOR,
}


def _make_role_fixtures(name: str, role: str):
    @pytest.fixture
    def user_fixture(db):
        return UserFactory(roles=[role], is_staff=role == Role.SYSTEM_ADMINISTRATOR)

    @pytest.fixture
    def client_fixture(request):
        return sign_in_verified(Client(), request.getfixturevalue(f"{name}_user"))

    user_fixture.__doc__ = f"A member of staff in the {role!r} Group."
    client_fixture.__doc__ = f"A test client signed in as a {role!r}."
    return user_fixture, client_fixture


for _name, _role in ROLE_FIXTURES.items():
    globals()[f"{_name}_user"], globals()[f"{_name}_client"] = _make_role_fixtures(_name, _role)


@pytest.fixture
def no_role_client(db):
    """Signed in, but in no Group at all."""
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def pdus(db) -> dict[str, ProbationDeliveryUnit]:
    """The four East of England PDUs of the pilot."""
    region = RegionFactory(code="EOE", name="East of England")
    return {
        code: ProbationDeliveryUnitFactory(code=code, name=name, region=region)
        for code, name in [
            ("NORTHANTS", "Northamptonshire"),
            ("CAMBS", "Cambridgeshire and Peterborough"),
            ("ESSEXN", "Essex North"),
            ("ESSEXS", "Essex South"),
        ]
    }


@pytest.fixture
def eager_celery():
    """Work queued for the worker (emails, mostly) runs in-process, when it is queued."""
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
