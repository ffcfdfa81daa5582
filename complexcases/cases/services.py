"""The one place that opens and moves a case (docs/cases.md shows the states).

Workflows call these inside their own transaction: the case row is locked, its status is
checked against the transitions below, and a refused move raises ``CaseError`` with a
sentence for the user, so two people moving one case at once cannot both succeed.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.errors import ServiceError

from .models import Case

Status = Case.Status

# From each status, where a case may go. A move to the same status is not a move.
TRANSITIONS: dict[str, frozenset[str]] = {
    # A further triage after panel that is withdrawn or cancelled returns to follow-up.
    Status.REQUESTED: frozenset({Status.TRIAGE_SCHEDULED, Status.CLOSED, Status.IN_FOLLOW_UP}),
    Status.TRIAGE_SCHEDULED: frozenset({Status.TRIAGE_HELD, Status.CLOSED, Status.IN_FOLLOW_UP}),
    Status.TRIAGE_HELD: frozenset({Status.AWAITING_PANEL, Status.CLOSED}),
    Status.AWAITING_PANEL: frozenset({Status.BOOKED, Status.CLOSED}),
    Status.BOOKED: frozenset({Status.AWAITING_PANEL, Status.HEARD}),
    Status.HEARD: frozenset({Status.IN_FOLLOW_UP, Status.CLOSED}),
    # From follow-up: back to triage (a new request in the same case), to the next panel, or closed.
    Status.IN_FOLLOW_UP: frozenset({Status.REQUESTED, Status.AWAITING_PANEL, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class CaseError(ServiceError):
    """The case is not where this step needs it; the message says why, for the user."""


class CaseAlreadyOpen(CaseError):
    """The person has an open case that a new request cannot join."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__(
            f"{case.person.full_name} already has an open case, {case.reference}: "
            f"{case.get_status_display().lower()}"
        )


def case_reference(pk: int, opened_at) -> str:
    """'CC-2026-00123': the year the case opened and its number."""
    return f"CC-{timezone.localtime(opened_at):%Y}-{pk:05d}"


def _log(case: Case, by, detail: str, action: str = Action.ALTERATION) -> None:
    access_log_record(
        user=by,
        action=action,
        record_type="case",
        person=case.person,
        record_id=case.pk,
        detail=detail,
    )


def case_for_new_request(*, person, by) -> Case:
    """The case a new triage request belongs to: the person's open case if it is in follow-up
    (back to triage stays in the same case), else a new case. Refused, with the open case,
    while any other case is open. Call inside a transaction."""
    current = (
        Case.objects.select_for_update().filter(person=person).exclude(status=Status.CLOSED).first()
    )
    if current is not None:
        if current.status != Status.IN_FOLLOW_UP:
            raise CaseAlreadyOpen(current)
        return case_move(current, Status.REQUESTED, by=by, why="Back to triage from follow-up")
    return case_open(person=person, by=by)


def case_open(*, person, by, opened_at=None) -> Case:
    """Open a case for the person (a triage request, or the team on a practitioner's behalf)."""
    opened_at = opened_at or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('cases_case', 'id'))")
        (pk,) = cursor.fetchone()
    case = Case(
        pk=pk,
        reference=case_reference(pk, opened_at),
        person=person,
        opened_at=opened_at,
        opened_by=by,
        status_changed_at=opened_at,
    )
    try:
        with transaction.atomic():
            case.save(force_insert=True)
    except IntegrityError:
        # Someone opened a case for this person a moment ago.
        open_case = Case.objects.filter(person=person).exclude(status=Status.CLOSED).first()
        if open_case is None:
            raise
        raise CaseAlreadyOpen(open_case) from None
    _log(case, by, f"Case {case.reference} opened", Action.COLLECTION)
    return case


def case_move(case: Case, to: str, *, by, why: str = "", closed_reason: str = "") -> Case:
    """Move the case to ``to``, if its status (read under a lock) allows it. Returns the case
    as saved. ``closed_reason`` is required when ``to`` is closed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_move must run inside the caller's transaction")
    current = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if to not in TRANSITIONS[current.status]:
        raise CaseError(
            f"Case {current.reference} is {current.get_status_display().lower()}: "
            f"it cannot move to {Status(to).label.lower()}. Reload the page to see where it stands"
        )
    if to == Status.CLOSED and closed_reason not in Case.ClosedReason.values:
        raise ValueError("closing a case needs a closed_reason")
    now = timezone.now()
    before = current.get_status_display()
    current.status, current.status_changed_at = to, now
    fields = ["status", "status_changed_at"]
    if to == Status.CLOSED:
        current.closed_at, current.closed_reason, current.closed_by = now, closed_reason, by
        fields += ["closed_at", "closed_reason", "closed_by"]
    current._change_reason = (why or f"{before} to {current.get_status_display()}")[:100]
    current.save(update_fields=fields)
    _log(current, by, f"Case {current.reference}: {before} to {current.get_status_display()}")
    for field in fields:  # the caller's copy says where the case now stands
        setattr(case, field, getattr(current, field))
    return current
