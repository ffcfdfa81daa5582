from django.core.management.base import BaseCommand

from panel.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send today's action and follow-up reminder digests (what the 7:30am beat task runs)."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{sent} reminder digest{'s' if sent != 1 else ''} sent.")
