"""Roles change only through a second administrator (ADR 0021); superuser only on the command line."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.models import RoleChange, User
from complexcases.organisation.roles import Role
from complexcases.organisation.services import (
    RoleChangeRefused,
    role_change_approve,
    role_change_decline,
    staff_roles_request,
)
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.html import error_summary, h1, parse, table_rows

pytestmark = pytest.mark.django_db
SA, DPO, PP = Role.SYSTEM_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER, Role.PROBATION_PRACTITIONER


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """`with sending():` runs what the block queues after commit: emails go to the outbox."""
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = False


def an_admin(**kwargs) -> User:
    return UserFactory(roles=[SA], is_staff=True, **kwargs)


def role_log(staff) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(record_type="staff roles", record_id=str(staff.pk)).order_by(
            "pk"
        )
    )


# The Django admin: nothing there sets roles or superuser status.


def admin_form_data(client, url) -> dict:
    """Everything the change form would post back as it stands."""
    form = parse(client.get(url)).select_one("form#user_form")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.get("type") == "submit" and field["name"] != "_save":
            continue
        if field.get("type") == "checkbox":
            data[field["name"]] = field.get("value", "on")
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[field["name"]] = chosen["value"] if chosen else ""
        else:
            data[field["name"]] = field.get("value", field.get_text())
    return data


def test_an_administrators_own_change_form_offers_no_roles_or_superuser(system_admin_client):
    page = parse(system_admin_client.get(reverse("admin:organisation_user_changelist")))
    own = system_admin_client.get(
        reverse("admin:organisation_user_change", args=[User.objects.get(groups__name=SA).pk])
    )
    assert own.status_code == 200
    form = parse(own).select_one("form#user_form")
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert form.select(f"[name={name}]") == [], name
    assert form.select("[name=is_active]")  # enabling staff is still done here
    assert page.select_one("#changelist")


def test_posting_superuser_and_roles_back_changes_nothing_and_people_stay_hidden(
    system_admin_client, system_admin_user, triage_world
):
    person_url = reverse("people:person", args=[triage_world["elsewhere"].crn])
    refused = system_admin_client.get(person_url).status_code
    assert refused in (403, 404)
    url = reverse("admin:organisation_user_change", args=[system_admin_user.pk])
    data = admin_form_data(system_admin_client, url)
    groups = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    data.update({"is_superuser": "on", "is_staff": "on", "groups": groups, "first_name": "Sam"})
    response = system_admin_client.post(url, data)
    assert response.status_code == 302  # the form saved: the other fields were taken
    system_admin_user.refresh_from_db()
    assert system_admin_user.first_name == "Sam"
    assert not system_admin_user.is_superuser
    assert system_admin_user.role_names == [SA]
    assert system_admin_client.get(person_url).status_code == refused


def test_reverting_to_an_old_version_cannot_bring_back_superuser(system_admin_client):
    """The history view's revert saves every field of the old version, so it is refused."""
    former = UserFactory(is_superuser=True, is_staff=True)
    former.is_superuser = False
    former.save()
    version = former.history.filter(is_superuser=True).first()
    url = reverse("admin:organisation_user_simple_history", args=[former.pk, version.history_id])
    assert system_admin_client.post(url, {"email": former.email}).status_code == 403
    former.refresh_from_db()
    assert not former.is_superuser


def test_a_superusers_account_is_read_only_to_a_system_administrator(system_admin_client):
    boss = UserFactory(is_superuser=True, is_staff=True, email="boss@example.com")
    url = reverse("admin:organisation_user_change", args=[boss.pk])
    assert parse(system_admin_client.get(url)).select("input[name=email]") == []
    response = system_admin_client.post(url, {"email": "mine@example.com"})
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.email == "boss@example.com"
    password = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert (
        system_admin_client.post(password, {"password1": "x", "password2": "x"}).status_code == 403
    )


def test_a_password_an_administrator_sets_is_logged_and_its_owner_told(
    system_admin_client, system_admin_user, sending
):
    """Setting a password lets the administrator sign in as that person: it cannot be silent."""
    manager = UserFactory(roles=[Role.PROGRAMME_MANAGER], email="manager@example.com")
    url = reverse("admin:auth_user_password_change", args=[manager.pk])
    new = "a-brand-new-long-password-2026"
    with sending():
        response = system_admin_client.post(
            url, {"password1": new, "password2": new, "usable_password": "true"}
        )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(new)
    (entry,) = AccessLogEntry.objects.filter(record_type="staff password")
    assert (entry.user, entry.record_id) == (system_admin_user, str(manager.pk))
    (email,) = mail.outbox
    assert email.to == ["manager@example.com"]
    assert email.subject == "Complex Cases: your password was set by an administrator"


# The services: the two-person rule.


def test_adding_a_role_waits_for_a_second_administrator_who_makes_it(sending):
    asker, approver = an_admin(), an_admin()
    priya = UserFactory(roles=[PP], email="priya@example.com")
    an_admin(email="away@example.com", is_active=False)
    with sending():
        change = staff_roles_request(staff=priya, roles=[PP, DPO], requested_by=asker)
    assert change.status == RoleChange.Status.PENDING
    assert priya.role_names == [PP]
    assert role_log(priya) == []
    (waiting,) = mail.outbox  # to the other active administrators, not the asker or Priya
    assert waiting.to == [approver.email]
    assert waiting.subject == "Complex Cases: a role change is waiting for your approval"
    assert "/staff/role-changes/" in waiting.body
    mail.outbox.clear()

    with sending():
        role_change_approve(change=change, approved_by=approver)
    change.refresh_from_db()
    assert change.status == RoleChange.Status.APPROVED
    assert (change.requested_by, change.decided_by) == (asker, approver)
    assert (change.roles_before, change.roles_after) == ([PP], sorted([PP, DPO]))
    priya.refresh_from_db()
    assert priya.role_names == sorted([DPO, PP])
    (entry,) = role_log(priya)
    assert entry.user == approver
    assert entry.action == AccessLogEntry.Action.ALTERATION
    assert entry.detail == (
        f"Role change {change.pk} (asked by staff {asker.pk}). Added: {DPO}. Removed: none"
    )
    (email,) = mail.outbox
    assert email.to == ["priya@example.com"]
    assert email.subject == "Complex Cases: your roles have changed"
    assert f"Before: {PP}\nNow: {DPO}, {PP}" in email.body


def test_the_administrator_who_asked_cannot_approve(sending):
    asker = an_admin()
    priya = UserFactory(roles=[PP])
    with sending():
        change = staff_roles_request(staff=priya, roles=[SA], requested_by=asker)
    with sending(), pytest.raises(RoleChangeRefused, match="another system administrator"):
        role_change_approve(change=change, approved_by=asker)
    assert priya.role_names == [PP]
    assert RoleChange.objects.get().status == RoleChange.Status.PENDING
    assert role_log(priya) == []
    assert mail.outbox == []


def test_nobody_asks_for_or_approves_a_change_to_their_own_roles():
    sam, alex = an_admin(), an_admin()
    with pytest.raises(RoleChangeRefused, match="cannot change your own roles"):
        staff_roles_request(staff=sam, roles=[SA, DPO], requested_by=sam)
    change = staff_roles_request(staff=sam, roles=[SA, DPO], requested_by=alex)
    with pytest.raises(RoleChangeRefused, match="your own roles"):
        role_change_approve(change=change, approved_by=sam)
    assert sam.role_names == [SA]


def test_only_system_administrators_ask_or_decide_even_calling_the_service():
    manager, priya = UserFactory(roles=[Role.PROGRAMME_MANAGER]), UserFactory(roles=[PP])
    with pytest.raises(RoleChangeRefused, match="Only a system administrator can ask"):
        staff_roles_request(staff=priya, roles=[PP, SA], requested_by=manager)
    change = staff_roles_request(staff=priya, roles=[PP, SA], requested_by=an_admin())
    with pytest.raises(RoleChangeRefused, match="Only a system administrator can decide"):
        role_change_approve(change=change, approved_by=manager)
    assert priya.role_names == [PP]


def test_the_database_refuses_a_self_approved_change_a_service_forgot_to_check():
    sam, alex = an_admin(), an_admin()
    for fields in (
        {"staff": sam, "requested_by": sam, "status": "made"},
        {"staff": alex, "requested_by": sam, "decided_by": sam, "status": "approved"},
        {"staff": alex, "requested_by": sam, "decided_by": alex, "status": "approved"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleChange.objects.create(**fields)


def test_taking_roles_away_is_made_at_once_logged_and_emailed(sending):
    asker = an_admin()
    leaver = UserFactory(roles=[SA, DPO], is_staff=True)
    with sending():
        change = staff_roles_request(staff=leaver, roles=[DPO], requested_by=asker)
    assert change.status == RoleChange.Status.MADE
    leaver.refresh_from_db()
    assert leaver.role_names == [DPO]
    assert not leaver.is_staff  # the Django admin goes with the role
    (entry,) = role_log(leaver)
    assert entry.user == asker
    assert entry.detail.endswith(f"Added: none. Removed: {SA}")
    assert len(mail.outbox) == 1


def test_an_approval_after_the_roles_changed_again_is_refused():
    asker, approver = an_admin(), an_admin()
    priya = UserFactory(roles=[PP])
    change = staff_roles_request(staff=priya, roles=[PP, DPO], requested_by=asker)
    priya.groups.clear()  # e.g. the command line took them all away meanwhile
    with pytest.raises(RoleChangeRefused, match="have changed since"):
        role_change_approve(change=change, approved_by=approver)
    role_change_decline(change=change, declined_by=asker)  # the asker may withdraw it
    assert RoleChange.objects.get().status == RoleChange.Status.DECLINED
    assert priya.role_names == []


def test_the_command_line_sets_the_first_administrators(sending, capsys):
    first = UserFactory(email="first@example.com")
    with sending():
        call_command("staff_roles", "FIRST@example.com", "--role", SA)
    first.refresh_from_db()
    assert first.role_names == [SA]
    assert first.is_staff
    assert not first.is_superuser
    (entry,) = role_log(first)
    assert entry.user is None
    assert "(command line)" in entry.detail
    assert RoleChange.objects.get().status == RoleChange.Status.MADE
    assert len(mail.outbox) == 1


# The pages: asking, approving, and the DPO's search.


def test_an_administrators_own_roles_page_has_no_form(system_admin_client, system_admin_user):
    url = reverse("organisation:staff-roles", args=[system_admin_user.pk])
    page = system_admin_client.get(url)
    assert "You cannot change your own roles" in parse(page).select_one(".govuk-inset-text").text
    assert parse(page).select("input[name=roles]") == []
    response = system_admin_client.post(url, {"roles": [SA, DPO]})
    assert error_summary(response) == [
        "You cannot change your own roles. Ask another system administrator"
    ]
    assert not RoleChange.objects.exists()


def test_one_administrator_asks_and_another_approves_on_the_pages(sending):
    asker, approver = an_admin(email="asker@example.com"), an_admin(email="approver@example.com")
    priya = UserFactory(
        roles=[PP], email="priya@example.com", first_name="Priya", last_name="Hughes"
    )
    asking = sign_in_verified(Client(), asker)
    staff_page = parse(asking.get(reverse("organisation:staff-list")))
    changes = [a.get_text(" ", strip=True) for a in staff_page.select("td a[href$='/roles']")]
    assert "Change roles for priya@example.com" in changes
    assert "Change roles for asker@example.com" not in changes  # nobody changes their own
    form = asking.get(reverse("organisation:staff-roles", args=[priya.pk]))
    assert h1(form) == "Change roles for Priya Hughes"
    checked = [i["value"] for i in parse(form).select("input[name=roles][checked]")]
    assert checked == [PP]

    response = asking.post(
        reverse("organisation:staff-roles", args=[priya.pk]), {"roles": [PP, DPO]}, follow=True
    )
    assert "Another system administrator must approve it" in response.text
    change = RoleChange.objects.get()
    buttons = [b.get_text(" ", strip=True) for b in parse(response).select("table button")]
    assert buttons == ["Withdraw the change for priya@example.com"]  # no Approve for the asker
    forged = asking.post(reverse("organisation:role-change-approve", args=[change.pk]), follow=True)
    assert "another system administrator must approve it" in forged.text
    assert priya.role_names == [PP]

    approving = sign_in_verified(Client(), approver)
    listed = approving.get(reverse("organisation:role-changes"))
    assert [
        b.get_text(" ", strip=True).split(" the")[0] for b in parse(listed).select("table button")
    ] == [
        "Approve",
        "Decline",
    ]
    with sending():
        done = approving.post(
            reverse("organisation:role-change-approve", args=[change.pk]), follow=True
        )
    assert "Role change approved and made" in done.text
    assert priya.role_names == sorted([DPO, PP])
    assert table_rows(done, "Role changes") == [
        [
            change.requested_at.strftime("%Y-%m-%d %H:%M"),
            "priya@example.com",
            PP,
            f"{DPO}, {PP}",
            "asker@example.com",
            f"Approved and made by approver@example.com {RoleChange.objects.get().decided_at:%Y-%m-%d %H:%M}",
        ]
    ]
    assert [m.to for m in mail.outbox] == [["priya@example.com"]]


def test_the_dpo_finds_role_changes_by_anyone_in_them_and_cannot_decide():
    asker = an_admin(email="asker@example.com")
    priya = UserFactory(roles=[PP], email="priya@example.com")
    other = UserFactory(roles=[PP], email="other@example.com")
    staff_roles_request(staff=priya, roles=[PP, SA], requested_by=asker)
    staff_roles_request(staff=other, roles=[], requested_by=asker)
    dpo = sign_in_verified(Client(), UserFactory(roles=[DPO]))
    everyone = dpo.get(reverse("organisation:role-changes"))
    assert [row[1] for row in table_rows(everyone, "Role changes")] == [
        "priya@example.com",  # waiting for approval comes first
        "other@example.com",
    ]
    assert parse(everyone).select("table button") == []
    found = dpo.get(reverse("organisation:role-changes"), {"email": "PRIYA@example.com"})
    assert [row[1] for row in table_rows(found, "Role changes")] == ["priya@example.com"]
    by_asker = dpo.get(reverse("organisation:role-changes"), {"email": "asker@example.com"})
    assert len(table_rows(by_asker, "Role changes")) == 2
    change = RoleChange.objects.get(staff=priya)
    assert (
        dpo.post(reverse("organisation:role-change-approve", args=[change.pk])).status_code == 403
    )
