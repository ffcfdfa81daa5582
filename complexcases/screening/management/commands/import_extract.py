from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complexcases.core.csvimport import ImportRejected
from complexcases.screening.services import extract_import


class Command(BaseCommand):
    help = "Import a monthly extract CSV: every row or none, with every problem reported."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Path to the extract CSV")

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"No file at {path}")
        try:
            result = extract_import(source=path, filename=Path(path).name, imported_by=None)
        except ImportRejected as rejected:
            raise CommandError(rejected.report()) from None
        self.stdout.write(result.summary)
