"""Writes to the organisation: importing regions and PDUs, and creating staff."""

import logging
import re
from dataclasses import dataclass
from typing import IO

from django.contrib.auth.models import Group
from django.db import transaction

from complexcases.core.csvimport import ImportProblem, ImportRejected, read_csv

from .models import ProbationDeliveryUnit, Region, Team, User
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
