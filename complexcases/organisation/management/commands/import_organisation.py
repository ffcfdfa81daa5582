from django.core.management.base import BaseCommand, CommandError

from complexcases.core.csvimport import ImportRejected
from complexcases.organisation.services import organisation_import


class Command(BaseCommand):
    help = "Import regions and PDUs from a CSV (region_code,region_name,pdu_code,pdu_name)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Path to the CSV file")

    def handle(self, *args, path, **options):
        try:
            result = organisation_import(source=path)
        except FileNotFoundError:
            raise CommandError(f"No file at {path}") from None
        except ImportRejected as rejected:
            raise CommandError(rejected.report()) from None
        self.stdout.write(
            f"Regions: {result.regions_created} added, {result.regions_updated} updated. "
            f"PDUs: {result.pdus_created} added, {result.pdus_updated} updated."
        )
