"""Check-ins recorded before `held_on` existed were recorded on the day: take that day."""

from django.db import migrations
from django.utils import timezone


def held_on_from_completed_at(apps, schema_editor):
    FollowUp = apps.get_model("panel", "FollowUp")
    completed = FollowUp.objects.filter(status="completed", held_on__isnull=True)
    for follow_up in completed.select_related("booking__slot"):
        recorded = follow_up.completed_at or follow_up.booking.slot.starts_at
        follow_up.held_on = timezone.localdate(recorded)
        follow_up.save(update_fields=["held_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("panel", "0007_follow_up_held_on"),
    ]

    operations = [
        migrations.RunPython(held_on_from_completed_at, migrations.RunPython.noop),
    ]
