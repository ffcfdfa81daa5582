from django.core.management.base import BaseCommand, CommandError

from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.organisation.services import (
    RoleChangeRefused,
    staff_roles_set_from_command_line,
)


class Command(BaseCommand):
    help = (
        "Set a member of staff's roles from the command line (the first system administrators; "
        "ADR 0021). Logged and emailed like any role change. In the service, adding a role needs "
        "a second administrator's approval."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The member of staff's email address")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            choices=Role.ALL,
            help="A role they should have (repeat for several; none takes every role away)",
        )

    def handle(self, *args, email, role, **options):
        staff = User.objects.filter(email__iexact=email).first()
        if staff is None:
            raise CommandError(f"No member of staff has the email address {email}")
        try:
            change = staff_roles_set_from_command_line(staff=staff, roles=role)
        except RoleChangeRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Roles for {staff.email}: {', '.join(change.roles_after) or 'none'} "
            f"(role change {change.pk})"
        )
