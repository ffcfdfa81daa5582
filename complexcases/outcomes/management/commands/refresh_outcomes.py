from django.core.management.base import BaseCommand

from complexcases.outcomes.services import outcomes_refresh


class Command(BaseCommand):
    help = "Rebuild the outcomes summaries now (beat does it nightly and after each import)."

    def handle(self, *args, **options):
        refresh = outcomes_refresh()
        self.stdout.write(
            f"Outcomes refreshed: {refresh.heard_cases} heard cases, latest extract "
            f"{refresh.latest_extract or 'none'}, in {refresh.seconds:.1f} s."
        )
