"""Synthetic demo organisation and one sign-in per role. Never real people."""

from pathlib import Path

from django.db import transaction

from .models import ProbationDeliveryUnit, Team, User
from .roles import Role
from .services import organisation_import, staff_create

DEMO_ORGANISATION_CSV = Path(__file__).parent / "data" / "demo_organisation.csv"
DEMO_PASSWORD = "demo-pathway-2026"  # noqa: S105 - synthetic local demo accounts only

# (email, first name, last name, role, staff code, PDU code, team name, line manager email)
# fmt: off
DEMO_STAFF = [
    ("spo@example.com", "Sam", "Okafor", Role.SENIOR_PROBATION_OFFICER, "N01S001", "NORTHANTS", "Northampton North", None),
    ("practitioner@example.com", "Priya", "Hughes", Role.PROBATION_PRACTITIONER, "N01P001", "NORTHANTS", "Northampton North", "spo@example.com"),
    ("programme.manager@example.com", "Morgan", "Ellis", Role.PROGRAMME_MANAGER, "EOE0PM1", None, None, None),
    ("case.admin@example.com", "Casey", "Adeyemi", Role.CASE_ADMINISTRATOR, "EOE0CA1", None, None, None),
    ("panel.member@example.com", "Pat", "Whitfield", Role.PANEL_MEMBER, "EOE0PN1", None, None, None),
    ("qdo@example.com", "Quinn", "Dawson", Role.QUALITY_DEVELOPMENT_OFFICER, "EOE0QD1", None, None, None),
    ("opd.clinician@example.com", "Olu", "Brennan", Role.OPD_CLINICIAN, "EOE0OP1", None, None, None),
    ("psychologist@example.com", "Fran", "Lowe", Role.SENIOR_FORENSIC_PSYCHOLOGIST, "EOE0FP1", None, None, None),
    ("dpo@example.com", "Dana", "Price", Role.DATA_PROTECTION_OFFICER, "EOE0DP1", None, None, None),
    ("head.of.service@example.com", "Harper", "Grant", Role.HEAD_OF_SERVICE, "EOE0HS1", "NORTHANTS", None, None),
    ("admin@example.com", "Alex", "Morrow", Role.SYSTEM_ADMINISTRATOR, "EOE0SA1", None, None, None),
]
# fmt: on


def demo_load() -> list[User]:
    """Create the demo organisation and staff; running it again changes nothing."""
    organisation_import(source=str(DEMO_ORGANISATION_CSV))
    created = []
    with transaction.atomic():
        for email, first, last, role, code, pdu_code, team_name, manager_email in DEMO_STAFF:
            if User.objects.filter(email=email).exists():
                continue
            pdu = ProbationDeliveryUnit.objects.get(code=pdu_code) if pdu_code else None
            team = Team.objects.get_or_create(pdu=pdu, name=team_name)[0] if team_name else None
            manager = User.objects.get(email=manager_email) if manager_email else None
            created.append(
                staff_create(
                    email=email,
                    first_name=first,
                    last_name=last,
                    roles=[role],
                    staff_code=code,
                    pdu=pdu,
                    team=team,
                    line_manager=manager,
                    password=DEMO_PASSWORD,
                )
            )
    return created
