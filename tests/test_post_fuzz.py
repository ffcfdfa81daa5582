"""Property-based: no form POST to any URL, by a role allowed there, makes a server error.

Every URL in the URLconf (tests/test_access_matrix.py's EXPECTED, which a new URL must join)
is POSTed generated form data, signed in as a role that may use it, with the objects it
needs. The field names come from every form class in the project, so a new form's fields
are fuzzed without anyone listing them. Each example is rolled back.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from complexcases.organisation.roles import Role
from tests.access_fixtures import kwargs_for
from tests.auth import sign_in_verified
from tests.test_access_matrix import EXPECTED, PUBLIC

ROOT = Path(__file__).resolve().parent.parent


def form_modules() -> list[str]:
    """Every module of every project app (not its migrations), from the installed apps, so
    a form in a new app or module is fuzzed without anyone listing it."""
    names = []
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(ROOT) or "site-packages" in path.parts:
            continue  # a third-party app (the virtualenv may sit inside the repository)
        for module in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                names.append(module.name)
    return sorted(names)


FORM_MODULES = form_modules()
NOT_FUZZED = {"logout"}  # signs the client out: every later URL would only redirect to sign-in
# Opened by a token, not a sign-in: every request here is a 404 (tests/test_access_matrix.py).
NOT_FUZZED |= {"metrics", "calendar-file"}
NOT_FUZZED |= {
    f"panel:{name}"
    for name in ("papers-link", "papers-link-code", "papers-link-files", "papers-link-download")
}  # fmt: skip  (their forms: tests/panel/test_papers_links.py)
# The role each URL is tried as: the most capable one allowed there.
PREFERENCE = [
    Role.PROGRAMME_MANAGER, Role.PROBATION_PRACTITIONER, Role.OPD_CLINICIAN,
    Role.QUALITY_DEVELOPMENT_OFFICER, Role.DATA_PROTECTION_OFFICER, Role.SYSTEM_ADMINISTRATOR,
    Role.SENIOR_PROBATION_OFFICER,
]  # fmt: skip


def form_field_names() -> list[str]:
    names = set()
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not (issubclass(cls, forms.BaseForm) and cls.__module__ == module_name):
                continue
            for name, field in cls.base_fields.items():
                names.add(name)
                if isinstance(field, forms.MultiValueField):
                    names.update(f"{name}_{i}" for i in range(len(field.fields)))
    return sorted(names)


FIELD_NAMES = form_field_names()
VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
    st.integers(min_value=-5, max_value=400).map(str),
    st.sampled_from(["", " ", "on", "yes", "no", "true", "9" * 30, "-1", "0", "2026", "13", "31", "29",
                     "2026-02-30", "10:00", "25:61", "A000001", "=1+1", "x" * 5001]),
)  # fmt: skip
FORM_DATA = st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=12)
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_fuzzed_fields_include_every_forms_own():
    """So that the generator cannot quietly lose the forms it is meant to cover."""
    for name in ("blockers", "held_on_0", "notes", "outcome", "meeting_time", "panel_ask", "q"):
        assert name in FIELD_NAMES
    for module in ("triage.forms", "panel.forms", "complexcases.organisation.leaver_views"):
        assert module in FORM_MODULES


@pytest.fixture
def post_targets(matrix):
    """(url, signed-in client) for every URL, as its most capable allowed role."""
    clients = {}
    targets = []
    for name, (allowed, kind) in sorted(EXPECTED.items()):
        if name in NOT_FUZZED:
            continue
        if allowed == PUBLIC:
            client = Client()
        else:
            roles = set(Role.ALL) if isinstance(allowed, str) else allowed
            role = next((r for r in PREFERENCE if r in roles), sorted(roles)[0])
            if role not in clients:
                clients[role] = sign_in_verified(Client(), matrix["users"][role])
            client = clients[role]
        obj = matrix["visible"][kind] if kind else None
        targets.append((reverse(name, kwargs=kwargs_for(kind, obj)), client))
    return targets


@pytest.mark.django_db
@SETTINGS
@given(data=FORM_DATA)
@example(data={})
def test_no_post_to_any_url_makes_a_server_error(post_targets, data):
    with transaction.atomic():
        for url, client in post_targets:
            response = client.post(url, data)  # an exception in a view fails here
            assert response.status_code < 500, (url, data)
        transaction.set_rollback(True)


def test_every_url_fuzzed_is_reached_not_refused(post_targets):
    """The fuzzing's users may use each URL, so generated data reaches the views' own checks."""
    statuses = {url: client.post(url, {}).status_code for url, client in post_targets}
    assert {url: s for url, s in statuses.items() if s in (403, 404)} == {}
    accepting = [url for url, s in statuses.items() if s != 405]  # the rest are GET-only pages
    assert len(accepting) >= 50
