"""Passing a leaver's work on: every kind of work a member of staff can hold, moved in one
transaction to the colleagues chosen, with everyone told.

Each app registers the kinds it holds (``core.registry.register_leaver_work``): panel its
actions, chased actions and check-ins, people the caseload, joint case work its episodes.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.email import email_queue
from complexcases.core.errors import ServiceError
from complexcases.core.registry import leaver_work_kinds

from .models import User


class ReassignmentError(ServiceError):
    """The work cannot be passed on as chosen; the message says why, for the user."""


def _url(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name)


def staff_work_counts(*, leaver: User) -> dict[str, int]:
    """What a leaver holds, kind by kind, for the preview."""
    return {work.kind: work.items(leaver).count() for work in leaver_work_kinds()}


def staff_work_reassign(*, leaver: User, to: dict[str, User], by: User) -> dict[str, int]:
    """Move everything the leaver holds, kind by kind, to the chosen colleagues in one
    transaction, and tell each colleague what they now hold (links only)."""
    kinds = leaver_work_kinds()
    if any(work.items(leaver).exists() and work.kind not in to for work in kinds):
        raise ReassignmentError("Choose who takes over each kind of work")
    for work in kinds:
        problem = work.can_take(to[work.kind]) if work.kind in to else ""
        if problem:
            raise ReassignmentError(problem)
    if any(colleague.pk == leaver.pk or not colleague.is_active for colleague in to.values()):
        raise ReassignmentError("Choose active colleagues other than the person leaving")
    moved: dict[str, int] = {}
    told: dict[int, list[str]] = {}
    with transaction.atomic():
        for work in kinds:
            locked = list(work.items(leaver).select_for_update())
            if not locked:
                continue
            colleague = to[work.kind]
            for item in locked:
                work.move(item, leaver, colleague)
                access_log_record(
                    user=by,
                    action=Action.ALTERATION,
                    record_type=f"reassignment: {work.kind}",
                    person=work.person(item),
                    record_id=item.pk,
                    detail=f"Moved from staff id {leaver.pk} to staff id {colleague.pk}",
                )
            moved[work.kind] = len(locked)
            told.setdefault(colleague.pk, []).append(f"{len(locked)} {work.label}")
        links = dict.fromkeys(link for work in kinds for link in work.links)
        colleagues = {user.pk: user for user in to.values()}
        for pk, lines in told.items():
            email_queue(
                subject="Complex Cases: work passed to you",
                body=(
                    "A colleague is leaving and some of their Complex Cases work is now yours:\n"
                    + "".join(f"- {line}\n" for line in lines)
                    + "\n"
                    + "".join(f"{text}: {_url(name)}\n" for text, name in links)
                ),
                to=[colleagues[pk].email],
                record_type="reassignment",
                template="work-passed-to-you",
                personalisation={
                    "items": lines,
                    "links": [f"{text}: {_url(name)}" for text, name in links],
                },
            )
        email_queue(
            subject="Complex Cases: your work has been passed on",
            body="Your Complex Cases actions, follow-ups and cases have been passed to colleagues.\n",
            to=[leaver.email],
            record_type="reassignment",
            template="work-passed-on",
        )
    return moved
