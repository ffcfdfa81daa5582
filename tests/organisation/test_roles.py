"""Roles are Django Groups whose permissions follow ROLE_PERMISSIONS."""

import pytest
from django.contrib.auth.models import Group, Permission

from complexcases.organisation.roles import ROLE_PERMISSIONS, Role, roles_sync

pytestmark = pytest.mark.django_db


def test_migrate_creates_one_group_per_role_with_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)
    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(permissions), role


def test_every_role_in_domain_has_an_entry():
    assert set(ROLE_PERMISSIONS) == set(Role.ALL)


def test_sync_removes_a_permission_granted_by_hand_and_is_repeatable():
    group = Group.objects.get(name=Role.PROBATION_PRACTITIONER)
    group.permissions.add(Permission.objects.get(codename="import_organisation"))
    roles_sync()
    roles_sync()
    assert not group.permissions.filter(codename="import_organisation").exists()
    assert group.permissions.count() == len(ROLE_PERMISSIONS[Role.PROBATION_PRACTITIONER])


def test_an_unknown_permission_is_an_error(monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.PANEL_MEMBER, ["organisation.fly_to_the_moon"])
    with pytest.raises(LookupError, match="fly_to_the_moon"):
        roles_sync()
