from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from complexcases.organisation.demo import DEMO_PASSWORD, DEMO_STAFF, demo_load
from complexcases.reporting.demo import demo_learning_load
from complexcases.screening.demo import demo_screening_load
from jcw.demo import demo_jcw_load
from panel.demo import demo_panel_load
from panel.reference import early_outcomes_ensure_defaults
from triage.reference import themes_ensure_defaults


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
            # Keeps the schema; post_migrate brings back the roles' Groups and permissions.
            call_command("flush", interactive=False, verbosity=0)
            early_outcomes_ensure_defaults()  # the other reference data is loaded below
            self.stdout.write("Every table emptied.")
        themes_ensure_defaults()
        created = demo_load()
        screening = demo_screening_load()
        panel_cases = demo_panel_load()
        jcw_episodes = demo_jcw_load()
        learning_entries = demo_learning_load()
        self.stdout.write(
            f"Demo data ready ({len(created)} new sign-ins; {screening['people']} synthetic people, "
            f"{screening['extracts_imported']} new monthly extracts)."
        )
        if panel_cases:
            self.stdout.write(f"{panel_cases} synthetic panel cases (waiting, booked, heard).")
        if jcw_episodes:
            self.stdout.write(f"{jcw_episodes} synthetic joint case work episodes.")
        if learning_entries:
            self.stdout.write(f"{learning_entries} synthetic learning log entries.")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, _first, _last, role, *_rest in DEMO_STAFF:
            self.stdout.write(f"  {role:<30} {email}")
