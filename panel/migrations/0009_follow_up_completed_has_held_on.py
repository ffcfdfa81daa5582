from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panel", "0008_follow_up_held_on_from_completed_at"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "completed"), _negated=True)
                | models.Q(held_on__isnull=False),
                name="follow_up_completed_has_held_on",
            ),
        ),
    ]
