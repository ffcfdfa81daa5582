"""Seed the early outcomes issue #6 and DOMAIN.md list. Administrators add more in the admin."""

from django.db import migrations

OUTCOMES = [  # frozen copy of panel.reference.DEFAULT_EARLY_OUTCOMES as at this migration
    "Power to detain used",
    "Approved premises place secured",
    "Mental health support in place",
    "Adult social care involved",
    "Accommodation found",
    "Recalled",
    "Other",
]


def add_outcomes(apps, schema_editor):
    EarlyOutcome = apps.get_model("panel", "EarlyOutcome")
    for position, name in enumerate(OUTCOMES, start=1):
        EarlyOutcome.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("panel", "0003_follow_ups_action_updates_reminders")]

    operations = [migrations.RunPython(add_outcomes, migrations.RunPython.noop)]
