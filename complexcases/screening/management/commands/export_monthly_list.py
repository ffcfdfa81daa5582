from django.core.management.base import BaseCommand
from django.db import transaction

from complexcases.core.access_log import Action, access_log_record_many
from complexcases.core.export import write_csv
from complexcases.screening.management.commands.generate_monthly_list import parse_month
from complexcases.screening.models import MonthlyListEntry

HEADER = ["month", "pdu_code", "crn", "criteria_met_count", "criteria_met", "status"]


class Command(BaseCommand):
    help = "Write a month's list as CSV to standard output (logged as a disclosure)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args, month, **options):
        when = parse_month(month)
        entries = (
            MonthlyListEntry.objects.filter(monthly_list__month=when)
            .select_related("person", "monthly_list__pdu", "screening")
            .order_by("monthly_list__pdu__code", "person__crn")
        )
        with transaction.atomic():
            rows = []
            people = []
            for entry in entries.iterator(chunk_size=2000):
                people.append(entry.person)
                rows.append(
                    [
                        f"{when:%Y-%m}",
                        entry.monthly_list.pdu.code,
                        entry.person.crn,
                        entry.screening.criteria_met_count if entry.screening else "",
                        ";".join(str(n) for n in entry.screening.criteria_met)
                        if entry.screening
                        else "",
                        entry.status,
                    ]
                )
            access_log_record_many(
                user=None,
                action=Action.DISCLOSURE,
                record_type="monthly list export",
                people=people,
                detail=f"export_monthly_list --month {when:%Y-%m}",
                recipient="Standard output of export_monthly_list (the operator running it)",
            )
        write_csv(self.stdout, HEADER, rows)
