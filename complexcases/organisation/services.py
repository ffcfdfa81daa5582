"""Writes to the organisation: importing regions and PDUs, and creating staff."""

import logging
import re
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.csvimport import ImportProblem, ImportRejected, read_csv
from complexcases.core.email import email_queue

from .models import ProbationDeliveryUnit, Region, RoleChange, Team, User
from .roles import Role

logger = logging.getLogger(__name__)
ORGANISATION_COLUMNS = ("region_code", "region_name", "pdu_code", "pdu_name")
CODE_PATTERN = re.compile(r"^[A-Z0-9_]{2,20}$")


@dataclass(frozen=True)
class OrganisationImportResult:
    regions_created: int
    regions_updated: int
    pdus_created: int
    pdus_updated: int

    @property
    def changed(self) -> bool:
        return any(
            (self.regions_created, self.regions_updated, self.pdus_created, self.pdus_updated)
        )


def organisation_import(*, source: IO | str | bytes) -> OrganisationImportResult:
    """Create or update regions and PDUs from a CSV; all rows or none, every problem reported."""
    problems: list[ImportProblem] = []
    regions: dict[str, str] = {}
    pdus: dict[str, tuple[str, str]] = {}
    region_lines: dict[str, int] = {}
    for row in read_csv(source, required_columns=ORGANISATION_COLUMNS, problems=problems):
        for column in ORGANISATION_COLUMNS:
            if not row[column]:
                problems.append(ImportProblem(row.line, column, "", "Enter a value"))
        for column in ("region_code", "pdu_code"):
            value = row[column]
            if value and not CODE_PATTERN.match(value):
                problems.append(
                    ImportProblem(
                        row.line,
                        column,
                        value,
                        "Codes must be 2 to 20 capital letters, digits or underscores",
                    )
                )
        for column in ("region_name", "pdu_name"):
            if len(row[column]) > 100:
                problems.append(
                    ImportProblem(
                        row.line,
                        column,
                        row[column][:20] + "…",
                        "Names must be 100 characters or fewer",
                    )
                )
        region_code, pdu_code = row["region_code"], row["pdu_code"]
        if region_code in regions and regions[region_code] != row["region_name"]:
            problems.append(
                ImportProblem(
                    row.line,
                    "region_name",
                    row["region_name"],
                    f"Region {region_code} is named differently on line {region_lines[region_code]}",
                )
            )
        regions.setdefault(region_code, row["region_name"])
        region_lines.setdefault(region_code, row.line)
        if pdu_code in pdus:
            problems.append(
                ImportProblem(
                    row.line, "pdu_code", pdu_code, "This PDU code appears more than once"
                )
            )
        pdus[pdu_code] = (row["pdu_name"], region_code)
    if not pdus and not problems:
        problems.append(ImportProblem(None, "", "", "The file has no rows to import"))
    if problems:
        raise ImportRejected(problems)

    counts = {"regions_created": 0, "regions_updated": 0, "pdus_created": 0, "pdus_updated": 0}
    with transaction.atomic():
        region_by_code = {}
        for code, name in regions.items():
            region, created = Region.objects.select_for_update().get_or_create(
                code=code, defaults={"name": name}
            )
            if created:
                counts["regions_created"] += 1
            elif region.name != name:
                region.name = name
                region.save(update_fields=["name"])
                counts["regions_updated"] += 1
            region_by_code[code] = region
        for code, (name, region_code) in pdus.items():
            region = region_by_code[region_code]
            pdu, created = ProbationDeliveryUnit.objects.select_for_update().get_or_create(
                code=code, defaults={"name": name, "region": region}
            )
            if created:
                counts["pdus_created"] += 1
            elif pdu.name != name or pdu.region_id != region.pk:
                pdu.name, pdu.region = name, region
                pdu.save(update_fields=["name", "region"])
                counts["pdus_updated"] += 1
    return OrganisationImportResult(**counts)


def staff_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
    staff_code: str | None = None,
    pdu: ProbationDeliveryUnit | None = None,
    team: Team | None = None,
    line_manager: User | None = None,
    password: str | None = None,
) -> User:
    """Create a member of staff in the given roles; with no password they cannot sign in."""
    with transaction.atomic():
        user = User(
            email=User.objects.normalize_email(email).lower(),
            first_name=first_name,
            last_name=last_name,
            staff_code=staff_code or None,
            pdu=pdu,
            team=team,
            line_manager=line_manager,
            is_active=password is not None,
            # Only system administrators use the Django admin.
            is_staff=Role.SYSTEM_ADMINISTRATOR in roles,
        )
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
    return user


def staff_disable(*, user: User, by: User | None) -> int:
    """Stop a member of staff signing in and end all their sessions now."""
    from .sessions import staff_sessions_end

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        ended = staff_sessions_end(user=user)
    logger.warning(
        "Staff %s disabled by %s; %s sessions ended", user.pk, by.pk if by else "-", ended
    )
    return ended


def staff_password_set_by_administrator(*, staff: User, by: User) -> None:
    """Log a password an administrator set, and tell its owner: whoever sets it could use it."""
    with transaction.atomic():
        access_log_record(
            user=by,
            action=Action.ALTERATION,
            record_type="staff password",
            record_id=staff.pk,
            detail="Password set by a system administrator",
        )
        email_queue(
            subject="Complex Cases: your password was set by an administrator",
            body=(
                "A system administrator has set a new password for your Complex Cases "
                "account.\n\n"
                "If you did not ask for this, tell your line manager and the service's "
                "system administrators today.\n"
            ),
            to=[staff.email],
            record_type="staff password",
            template="staff-password-set",
        )


class RoleChangeRefused(Exception):
    """A role change the two-person rule does not allow (ADR 0021); the message says why."""


def _roles_of(staff: User) -> list[str]:
    return sorted(staff.groups.values_list("name", flat=True))


def _role_change_make(*, change: RoleChange, by: User | None) -> None:
    """Give the staff member exactly the new roles; log it, and email them after commit."""
    staff = change.staff
    staff.groups.set(Group.objects.filter(name__in=change.roles_after))
    # Only system administrators use the Django admin; a superuser keeps it whatever their roles.
    staff.is_staff = staff.is_superuser or Role.SYSTEM_ADMINISTRATOR in change.roles_after
    staff.save(update_fields=["is_staff"])
    asked = f"asked by staff {change.requested_by_id}" if change.requested_by_id else "command line"
    access_log_record(
        user=by,
        action=Action.ALTERATION,
        record_type="staff roles",
        record_id=staff.pk,
        detail=(
            f"Role change {change.pk} ({asked}). "
            f"Added: {', '.join(change.roles_added) or 'none'}. "
            f"Removed: {', '.join(change.roles_removed) or 'none'}"
        ),
    )
    email_queue(
        subject="Complex Cases: your roles have changed",
        body=(
            "Your roles in Complex Cases have changed.\n\n"
            f"Before: {', '.join(change.roles_before) or 'no roles'}\n"
            f"Now: {', '.join(change.roles_after) or 'no roles'}\n\n"
            "If you did not expect this, tell your line manager and the service's "
            "system administrators today.\n\n"
            f"{settings.SITE_URL}{reverse('home')}\n"
        ),
        to=[staff.email],
        record_type="staff roles",
        template="staff-roles-changed",
        personalisation={
            "roles_before": ", ".join(change.roles_before) or "no roles",
            "roles_after": ", ".join(change.roles_after) or "no roles",
            "link": f"{settings.SITE_URL}{reverse('home')}",
        },
    )


def _role_change_ask_approvers(*, change: RoleChange) -> None:
    """Tell the other system administrators a change waits for one of them."""
    approvers = User.objects.filter(is_active=True, groups__name=Role.SYSTEM_ADMINISTRATOR).exclude(
        pk__in=[change.requested_by_id, change.staff_id]
    )
    email_queue(
        subject="Complex Cases: a role change is waiting for your approval",
        body=(
            "Another system administrator has asked to add a role to a member of staff. "
            "It is made only when a second administrator approves it.\n\n"
            f"Approve or decline it: {settings.SITE_URL}{reverse('organisation:role-changes')}\n"
        ),
        to=list(approvers.values_list("email", flat=True)),
        record_type="staff roles",
        template="role-change-approval-needed",
        personalisation={"link": f"{settings.SITE_URL}{reverse('organisation:role-changes')}"},
    )


def staff_roles_request(*, staff: User, roles: list[str], requested_by: User) -> RoleChange:
    """Ask for a member of staff to have exactly these roles: adding any waits for a second
    administrator's approval; only taking roles away is made at once."""
    unknown = set(roles) - set(Role.ALL)
    if unknown:
        raise RoleChangeRefused(f"There is no role called {sorted(unknown)[0]}")
    if staff.pk == requested_by.pk:
        raise RoleChangeRefused(
            "You cannot change your own roles. Ask another system administrator"
        )
    if not requested_by.has_perm("organisation.add_rolechange"):
        raise RoleChangeRefused("Only a system administrator can ask for a role change")
    with transaction.atomic():
        staff = User.objects.select_for_update().get(pk=staff.pk)
        if RoleChange.objects.filter(staff=staff, status=RoleChange.Status.PENDING).exists():
            raise RoleChangeRefused(
                "A change to this person's roles is already waiting for approval. "
                "Approve or decline it first"
            )
        before = _roles_of(staff)
        after = sorted(set(roles))
        if after == before:
            raise RoleChangeRefused("Select a different set of roles: these are their roles now")
        only_removing = set(after) <= set(before)
        change = RoleChange(
            staff=staff,
            roles_before=before,
            roles_after=after,
            requested_by=requested_by,
            status=RoleChange.Status.MADE if only_removing else RoleChange.Status.PENDING,
        )
        change.full_clean()
        change.save()
        if only_removing:
            _role_change_make(change=change, by=requested_by)
        else:
            _role_change_ask_approvers(change=change)
    logger.warning(
        "Role change %s for staff %s asked by staff %s: %s",
        change.pk,
        staff.pk,
        requested_by.pk,
        change.status,
    )
    return change


def _pending_for_decision(*, change: RoleChange, by: User) -> RoleChange:
    change = RoleChange.objects.select_for_update().select_related("staff").get(pk=change.pk)
    if change.status != RoleChange.Status.PENDING:
        raise RoleChangeRefused(
            f"This role change has already been decided: {change.get_status_display().lower()}"
        )
    if change.staff_id == by.pk:
        raise RoleChangeRefused("You cannot decide a change to your own roles")
    if not by.has_perm("organisation.change_rolechange"):
        raise RoleChangeRefused("Only a system administrator can decide a role change")
    return change


def role_change_approve(*, change: RoleChange, approved_by: User) -> RoleChange:
    """A second system administrator approves a pending change, which is made now."""
    with transaction.atomic():
        change = _pending_for_decision(change=change, by=approved_by)
        if change.requested_by_id == approved_by.pk:
            raise RoleChangeRefused(
                "You asked for this change, so another system administrator must approve it"
            )
        User.objects.select_for_update().filter(pk=change.staff_id).get()
        if _roles_of(change.staff) != change.roles_before:
            raise RoleChangeRefused(
                "This person's roles have changed since this was asked for. "
                "Decline it and ask again"
            )
        change.status = RoleChange.Status.APPROVED
        change.decided_by, change.decided_at = approved_by, timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        _role_change_make(change=change, by=approved_by)
    logger.warning("Role change %s approved by staff %s", change.pk, approved_by.pk)
    return change


def role_change_decline(*, change: RoleChange, declined_by: User) -> RoleChange:
    """Decline a pending change (the administrator who asked may withdraw it this way)."""
    with transaction.atomic():
        change = _pending_for_decision(change=change, by=declined_by)
        change.status = RoleChange.Status.DECLINED
        change.decided_by, change.decided_at = declined_by, timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
    logger.warning("Role change %s declined by staff %s", change.pk, declined_by.pk)
    return change


def staff_roles_set_from_command_line(*, staff: User, roles: list[str]) -> RoleChange:
    """Set roles from `manage.py staff_roles` (the first administrators): made at once, logged,
    and emailed, like any change. Whoever runs it already holds the server."""
    unknown = set(roles) - set(Role.ALL)
    if unknown:
        raise RoleChangeRefused(f"There is no role called {sorted(unknown)[0]}")
    with transaction.atomic():
        staff = User.objects.select_for_update().get(pk=staff.pk)
        RoleChange.objects.filter(staff=staff, status=RoleChange.Status.PENDING).update(
            status=RoleChange.Status.DECLINED, decided_at=timezone.now()
        )
        change = RoleChange.objects.create(
            staff=staff,
            roles_before=_roles_of(staff),
            roles_after=sorted(set(roles)),
            status=RoleChange.Status.MADE,
        )
        _role_change_make(change=change, by=None)
    return change
