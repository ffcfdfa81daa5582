"""What people contributes to the core: a leaver's caseload is passed on with their work."""

from complexcases.core.registry import LeaverWork, register_leaver_work


def _caseload(leaver):
    from .models import Person

    return Person.objects.filter(practitioner=leaver)


def _move_person(person, leaver, colleague):
    person.practitioner = colleague
    person.save(update_fields=["practitioner", "updated_at"])


def _case_holders(leaver, staff):
    from complexcases.organisation.roles import Role

    return staff.filter(
        groups__name__in=[Role.PROBATION_PRACTITIONER, Role.SENIOR_PROBATION_OFFICER]
    ).distinct()


def register() -> None:
    register_leaver_work(
        LeaverWork(
            kind="caseload",
            label="person(s) on your caseload",
            form_label="People on their caseload",
            items=_caseload,
            move=_move_person,
            colleagues=_case_holders,
            person=lambda person: person,
            order=40,
        )
    )
