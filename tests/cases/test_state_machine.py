"""The case's state machine: every allowed and refused move, one open case per person, and two
people moving one case at once (docs/cases.md)."""

import itertools
import re
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from complexcases.cases.models import Case
from complexcases.cases.services import (
    CaseAlreadyOpen,
    CaseError,
    case_for_new_request,
    case_move,
    case_open,
)
from complexcases.core.models import AccessLogEntry

S = Case.Status
# Written from docs/cases.md, not from the code's table.
ALLOWED = {
    ("requested", "triage_scheduled"),
    ("requested", "closed"),
    ("requested", "in_follow_up"),
    ("triage_scheduled", "triage_held"),
    ("triage_scheduled", "closed"),
    ("triage_scheduled", "in_follow_up"),
    ("triage_held", "awaiting_panel"),
    ("triage_held", "closed"),
    ("awaiting_panel", "booked"),
    ("awaiting_panel", "closed"),
    ("booked", "awaiting_panel"),
    ("booked", "heard"),
    ("heard", "in_follow_up"),
    ("heard", "closed"),
    ("in_follow_up", "requested"),
    ("in_follow_up", "awaiting_panel"),
    ("in_follow_up", "closed"),
}


def _at(case: Case, status: str) -> Case:
    closed = status == S.CLOSED
    Case.objects.filter(pk=case.pk).update(
        status=status,
        closed_at=case.opened_at if closed else None,
        closed_reason=Case.ClosedReason.GUIDANCE if closed else "",
    )
    case.refresh_from_db()
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to"), list(itertools.product(S.values, S.values)))
def test_every_move_is_allowed_or_refused_as_documented(start, to, triage_world):
    case = _at(case_open(person=triage_world["listed"], by=triage_world["priya"]), start)
    logged = AccessLogEntry.objects.count()
    with transaction.atomic():
        if (start, to) in ALLOWED:
            moved = case_move(case, to, by=triage_world["admin"], closed_reason="withdrawn")
            assert moved.status == to
            assert case.status == to  # the caller's copy too
            if to == S.CLOSED:
                assert case.closed_by == triage_world["admin"]
        else:
            with pytest.raises(CaseError, match=f"{case.reference} is .*: it cannot move to"):
                case_move(case, to, by=triage_world["admin"], closed_reason="withdrawn")
    case.refresh_from_db()
    if (start, to) in ALLOWED:
        assert case.status == to
        assert (case.closed_at is not None) == (to == S.CLOSED)
        entry = AccessLogEntry.objects.order_by("-pk").first()
        assert entry.record_type == "case"
        assert entry.detail.startswith(f"Case {case.reference}:")
        assert AccessLogEntry.objects.count() == logged + 1
    else:
        assert case.status == start
        assert AccessLogEntry.objects.count() == logged


@pytest.mark.django_db
def test_a_case_has_a_reference_and_one_open_case_per_person(triage_world):
    person = triage_world["listed"]
    case = case_open(person=person, by=triage_world["priya"])
    assert re.fullmatch(r"CC-\d{4}-\d{5}", case.reference)
    assert case.reference.endswith(f"-{case.pk:05d}")
    with pytest.raises(CaseAlreadyOpen) as refused:
        case_open(person=person, by=triage_world["spo"])
    assert refused.value.case == case
    assert Case.objects.filter(person=person).count() == 1
    # The database holds the rule too, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            reference="CC-2026-99999",
            person=person,
            opened_at=case.opened_at,
            status_changed_at=case.opened_at,
        )


@pytest.mark.django_db
def test_a_closed_case_needs_when_and_why(triage_world):
    case = case_open(person=triage_world["listed"], by=triage_world["priya"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=S.CLOSED)
    with pytest.raises(ValueError, match="closed_reason"), transaction.atomic():
        case_move(case, S.CLOSED, by=triage_world["admin"])


@pytest.mark.django_db
def test_back_to_triage_stays_in_the_case_and_a_later_request_after_closure_is_a_new_case(
    triage_world,
):
    person, priya = triage_world["listed"], triage_world["priya"]
    case = _at(case_open(person=person, by=priya), S.IN_FOLLOW_UP)
    with transaction.atomic():
        again = case_for_new_request(person=person, by=priya)
    assert again.pk == case.pk
    assert again.status == S.REQUESTED
    _at(case, S.CLOSED)
    with transaction.atomic():
        later = case_for_new_request(person=person, by=priya)
    assert later.pk != case.pk
    assert later.status == S.REQUESTED
    assert later.reference != case.reference
    # While a case is open and not in follow-up, a request is refused.
    _at(later, S.AWAITING_PANEL)
    with pytest.raises(CaseAlreadyOpen), transaction.atomic():
        case_for_new_request(person=person, by=priya)


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_one_case_at_once_move_it_once(triage_world):
    """Two case administrators book the same waiting case at the same moment."""
    case = _at(case_open(person=triage_world["listed"], by=triage_world["priya"]), S.AWAITING_PANEL)
    barrier = threading.Barrier(2)
    outcomes = []

    def book():
        try:
            barrier.wait()
            with transaction.atomic():
                case_move(case, S.BOOKED, by=triage_world["admin"])
            outcomes.append("moved")
        except CaseError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes)[1] == "moved"
    assert sorted(outcomes)[0] == (
        f"Case {case.reference} is booked into a panel: it cannot move to booked into a panel. "
        "Reload the page to see where it stands"
    )
    case.refresh_from_db()
    assert case.status == S.BOOKED
    assert case.history.filter(status=S.BOOKED).count() == 1
