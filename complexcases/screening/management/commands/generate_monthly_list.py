from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from complexcases.screening.services import ScreeningError, monthly_list_generate


def parse_month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(f"Give the month as YYYY-MM, not {value!r}") from None


class Command(BaseCommand):
    help = "Generate the monthly list for a month (default: this month). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM", default=None)

    def handle(self, *args, month=None, **options):
        when = parse_month(month) if month else timezone.localdate()
        try:
            run = monthly_list_generate(month=when)
        except ScreeningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{run.month:%B %Y}: {len(run.created)} PDU lists generated from the extract as at "
            f"{run.extract.extract_date.isoformat()}; {run.already_generated} already existed."
        )
