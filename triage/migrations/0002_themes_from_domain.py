"""Seed the blocker themes DOMAIN.md lists. Administrators add more in the admin."""

from django.db import migrations

THEMES = [  # frozen copy of triage.reference.DEFAULT_THEMES as at this migration
    "Mental health",
    "Housing or approved premises",
    "Violence or hostility towards staff",
    "Gender identity",
    "Substance misuse",
    "Immigration status",
    "Family relationships",
    "Childhood trauma",
    "Youth offending history",
    "Child protection",
    "Other",
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("triage", "Theme")
    for position, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
