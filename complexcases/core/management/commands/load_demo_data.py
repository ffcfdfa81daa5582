from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from complexcases.core.registry import demo_steps
from complexcases.organisation.demo import DEMO_PASSWORD, DEMO_STAFF, demo_load


class Command(BaseCommand):
    help = "Load synthetic demo data and demo sign-ins (local use only; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DEBUG is off (never on a service holding real data)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First empty every table (`make reset-demo`): all changes made since are lost",
        )

    def handle(self, *args, allow_without_debug=False, reset=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Demo data has well-known passwords: it is only loaded when DEBUG is on. "
                "Use --allow-without-debug for a throwaway environment."
            )
        if reset:
            # Keeps the schema; post_migrate brings back the roles' Groups and permissions,
            # and each app's demo step its reference data.
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Every table emptied.")
        created = demo_load()
        headline = [f"{len(created)} new sign-ins"]
        said = []
        # Each app registers its steps (core.registry.register_demo_step), in order.
        for step in demo_steps():
            result = step.load()
            if not step.message or not result:
                continue
            counts = result if isinstance(result, dict) else {"count": result}
            (headline if step.headline else said).append(step.message.format(**counts))
        self.stdout.write(f"Demo data ready ({headline[0]}; {', '.join(headline[1:])}).")
        for line in said:
            self.stdout.write(line)
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, _first, _last, role, *_rest in DEMO_STAFF:
            self.stdout.write(f"  {role:<30} {email}")
