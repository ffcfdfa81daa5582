"""Seed the activity types of the JCW evaluation's survey (Appendix A). Administrators add more."""

from django.db import migrations

ACTIVITY_TYPES = [  # frozen copy of jcw.reference.DEFAULT_ACTIVITY_TYPES as at this migration
    ("formulation_create", "Creating a psychologically-informed formulation", False),
    ("formulation_update", "Updating an existing formulation", False),
    ("letter", "Writing a letter", False),
    (
        "meeting_support",
        "Supporting attendance at a meeting, such as MAPPA or a professionals meeting",
        False,
    ),
    ("session_planning", "Session or intervention planning", False),
    ("referral", "Writing a referral", False),
    ("case_review", "Case review", False),
    ("other", "Other", True),
]


def add_activity_types(apps, schema_editor):
    ActivityType = apps.get_model("jcw", "ActivityType")
    for position, (code, name, needs_description) in enumerate(ACTIVITY_TYPES, start=1):
        ActivityType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position * 10,
                "needs_description": needs_description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("jcw", "0001_episodes_contacts_feedback")]

    operations = [migrations.RunPython(add_activity_types, migrations.RunPython.noop)]
