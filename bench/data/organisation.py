"""Regions, PDUs, teams and staff in every role, with one password for all (benchmarks only)."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from complexcases.organisation.roles import Role

from . import BENCH_PASSWORD, Context, copy_rows
from .names import FORENAMES, SURNAMES

# National roles, not tied to a PDU: (role, how many, code prefix)
NATIONAL_STAFF = (
    (Role.PROGRAMME_MANAGER, 12, "PM"),
    (Role.CASE_ADMINISTRATOR, 12, "CA"),
    (Role.PANEL_MEMBER, 30, "PN"),
    (Role.QUALITY_DEVELOPMENT_OFFICER, 12, "QD"),
    (Role.OPD_CLINICIAN, 12, "OP"),
    (Role.SENIOR_FORENSIC_PSYCHOLOGIST, 6, "FP"),
    (Role.DATA_PROTECTION_OFFICER, 2, "DP"),
    (Role.SYSTEM_ADMINISTRATOR, 3, "SA"),
)
USER_COLUMNS = (
    "id", "password", "is_superuser", "first_name", "last_name", "is_staff", "is_active",
    "date_joined", "email", "staff_code", "line_manager_id", "pdu_id", "team_id",
)  # fmt: skip


def generate(context: Context) -> None:
    scale, rng = context.scale, context.rng
    password = make_password(BENCH_PASSWORD)
    now = timezone.now()
    groups = dict(Group.objects.values_list("name", "id"))
    users, memberships, teams = [], [], []
    pdus = []  # (id, code)
    next_user = 1

    def add_user(role, code, *, pdu_id=None, team_id=None, manager=None, staff=False) -> int:
        nonlocal next_user
        user_id, next_user = next_user, next_user + 1
        first, last = rng.choice(FORENAMES), rng.choice(SURNAMES)
        users.append(
            (user_id, password, False, first, last, staff, True, now, f"{code.lower()}@example.com",
             code, manager, pdu_id, team_id)
        )  # fmt: skip
        memberships.append((user_id, groups[role]))
        return user_id

    with connection.cursor() as cursor:
        copy_rows(
            cursor,
            "organisation_region",
            ("id", "code", "name"),
            ((r, f"R{r:02d}", f"Region {r:02d}") for r in range(1, scale.regions + 1)),
        )
        pdus = [(p, f"PDU{p:03d}") for p in range(1, scale.pdus + 1)]
        copy_rows(
            cursor,
            "organisation_probationdeliveryunit",
            ("id", "code", "name", "region_id"),
            ((p, code, f"Delivery unit {p:03d}", (p - 1) % scale.regions + 1) for p, code in pdus),
        )
        practitioners_per_pdu = max(1, scale.people // scale.pdus // scale.caseload)
        spos_per_pdu = max(1, practitioners_per_pdu // scale.practitioners_per_spo)
        practitioners: dict[int, list[tuple[int, str]]] = {}
        team_id = 0
        for pdu_id, code in pdus:
            add_user(Role.HEAD_OF_SERVICE, f"{code}H01", pdu_id=pdu_id)
            spos = []
            for s in range(1, spos_per_pdu + 1):
                team_id += 1
                teams.append((team_id, f"Team {s:02d}", pdu_id))
                spos.append(
                    (add_user(Role.SENIOR_PROBATION_OFFICER, f"{code}S{s:02d}", pdu_id=pdu_id,
                              team_id=team_id), team_id)
                )  # fmt: skip
            practitioners[pdu_id] = []
            for n in range(1, practitioners_per_pdu + 1):
                spo_id, spo_team = spos[(n - 1) % len(spos)]
                staff_code = f"{code}P{n:03d}"
                user_id = add_user(
                    Role.PROBATION_PRACTITIONER,
                    staff_code,
                    pdu_id=pdu_id,
                    team_id=spo_team,
                    manager=spo_id,
                )
                practitioners[pdu_id].append((user_id, staff_code))
        national = {}
        for role, count, prefix in NATIONAL_STAFF:
            national[role] = [
                add_user(role, f"NAT{prefix}{n:02d}", staff=role == Role.SYSTEM_ADMINISTRATOR)
                for n in range(1, count + 1)
            ]
        copy_rows(cursor, "organisation_team", ("id", "name", "pdu_id"), teams)
        copy_rows(cursor, "organisation_user", USER_COLUMNS, users)
        copy_rows(cursor, "organisation_user_groups", ("user_id", "group_id"), memberships)
        for table in ("organisation_region", "organisation_probationdeliveryunit",
                      "organisation_team", "organisation_user"):  # fmt: skip
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    # Staff names and emails as the extract carries them.
    names = {u[0]: (f"{u[4]}, {u[3]}", u[8]) for u in users}
    context.ids.update(
        pdus=pdus,
        practitioners={
            pdu_id: [(uid, code, *names[uid]) for uid, code in staff]
            for pdu_id, staff in practitioners.items()
        },
        national=national,
    )
    context.counts.update(regions=scale.regions, pdus=len(pdus), staff=len(users))
