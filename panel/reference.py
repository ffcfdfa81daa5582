"""Panel seats the service starts with (DOMAIN.md). Administrators add more in the admin."""

# (code, name, core): core seats are invited to every case; the rest are suggested by the case.
DEFAULT_ROLES = [
    ("chair", "Chair (head of operations)", True),
    ("deputy_chair", "Deputy chair (programme manager)", True),
    ("head_of_pdu", "Head of PDU", True),
    ("custody_psychologist", "Custody psychologist", True),
    ("head_of_national_security", "Head of national security unit", True),
    ("head_of_performance", "Head of performance and quality", True),
    ("head_of_public_protection", "Head of public protection", True),
    ("opd_regional_lead", "OPD regional lead", True),
    ("qdo_representative", "QDO representative", True),
    ("case_administrator", "Case administrator", True),
    ("practitioner", "Probation practitioner (presenting the case)", False),
    ("spo", "Senior probation officer", False),
    ("opd_lead", "OPD lead", False),
    ("mental_health", "Mental health representative", False),
    ("adult_social_care", "Adult social care representative", False),
    ("pom", "Prison offender manager (POM)", False),
    ("prison_representative", "Prison representative", False),
    ("equalities_manager", "Equalities manager", False),
    ("other", "Other invitee", False),
]


def panel_roles_ensure_defaults() -> None:
    """Create any default seat that is missing (after a database flush, say); never changes existing ones."""
    from .models import PanelRole

    for position, (code, name, core) in enumerate(DEFAULT_ROLES, start=1):
        PanelRole.objects.get_or_create(
            code=code, defaults={"name": name, "core": core, "position": position * 10}
        )


DEFAULT_EARLY_OUTCOMES = [
    "Power to detain used",
    "Approved premises place secured",
    "Mental health support in place",
    "Adult social care involved",
    "Accommodation found",
    "Recalled",
    "Other",
]


def early_outcomes_ensure_defaults() -> None:
    """Create any default early outcome that is missing; never changes existing ones."""
    from .models import EarlyOutcome

    for position, name in enumerate(DEFAULT_EARLY_OUTCOMES, start=1):
        EarlyOutcome.objects.get_or_create(name=name, defaults={"position": position * 10})
