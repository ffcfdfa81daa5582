from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panel", "0006_case_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="held_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date the check-in was held"
            ),
        ),
        migrations.AddField(
            model_name="historicalfollowup",
            name="held_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="date the check-in was held"
            ),
        ),
    ]
