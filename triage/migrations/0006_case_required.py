import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every record now belongs to a case (cases 0002 grouped the earlier ones)."""

    dependencies = [
        ("triage", "0005_case"),
        ("cases", "0002_group_existing_records"),
    ]

    operations = [
        migrations.AlterField(
            model_name="triagerequest",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="triage_requests",
                to="cases.case",
            ),
        ),
    ]
