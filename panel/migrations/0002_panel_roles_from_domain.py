"""Seed the panel seats DOMAIN.md lists. Administrators add more in the admin."""

from django.db import migrations

ROLES = [  # frozen copy of panel.reference.DEFAULT_ROLES as at this migration
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


def add_roles(apps, schema_editor):
    PanelRole = apps.get_model("panel", "PanelRole")
    for position, (code, name, core) in enumerate(ROLES, start=1):
        PanelRole.objects.get_or_create(
            code=code, defaults={"name": name, "core": core, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("panel", "0001_panel_sessions_bookings_minutes_actions")]

    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
