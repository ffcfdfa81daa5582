"""One person through two cases, through the services each step's page calls: the case's
status and who owns the next step after every step, and the ready queue by case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.parts import next_step_for
from panel.models import FollowUp, PathwayClosure
from panel.selectors import ready_for_panel
from panel.services import (
    follow_up_record,
    panel_booking_cancel,
    panel_booking_create,
    panel_minutes_finalise,
    panel_minutes_save,
    pathway_close,
)
from tests.panel_fixtures import a_session, held, referred
from tests.triage_fixtures import a_request
from triage.models import Theme
from triage.services import (
    Blocker,
    triage_mark_held,
    triage_meeting_schedule,
    triage_outcome_record,
)

S = Case.Status


def where(case: Case, user) -> tuple[str, str, str]:
    case.refresh_from_db()
    step = next_step_for(case, user)
    return case.status, step.text if step else "", step.owner if step else ""


def hear(booking, by):
    held(booking)
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Agreed two actions."},
        attendance={invitee.pk: "attended" for invitee in booking.invitees.all()},
        by=by,
    )
    panel_minutes_finalise(booking=booking, by=by)


def check_in(follow_up, further_support, by):
    return follow_up_record(
        follow_up=follow_up,
        progress={},
        developments="Settled in approved premises.",
        wellbeing=FollowUp.Wellbeing.MANAGING,
        wellbeing_notes="",
        further_support=further_support,
        early_outcomes=[],
        other_outcome="",
        by=by,
    )


@pytest.mark.django_db
def test_one_person_through_two_cases(panel_world):
    w = panel_world
    admin, manager, priya = w["admin"], w["manager"], w["priya"]
    person = w["unlisted"]

    # The first case: closed with guidance at triage.
    request = a_request(w, "unlisted")
    first = request.case
    assert where(first, admin) == (S.REQUESTED, "Arrange the triage meeting", "Complex Cases team")
    triage_meeting_schedule(
        request=request,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=45,
        invitees=[(priya, "Practitioner")],
        external_invitees=[],
        by=admin,
    )
    status, text, _ = where(first, admin)
    assert status == S.TRIAGE_SCHEDULED
    assert text.startswith("Triage meeting on ")
    request.meeting.starts_at = timezone.now() - timedelta(hours=1)
    request.meeting.save(update_fields=["starts_at"])
    triage_mark_held(request=request, attended=[], by=manager)
    assert where(first, admin)[:2] == (S.TRIAGE_HELD, "Record the triage outcome")
    triage_outcome_record(
        request=request,
        blockers=[Blocker("Housing", list(Theme.objects.all()[:1]))],
        guidance="Use the housing pathway.",
        outcome="closed_with_guidance",
        by=manager,
    )
    first.refresh_from_db()
    assert (first.status, first.closed_reason) == (S.CLOSED, Case.ClosedReason.GUIDANCE)
    assert next_step_for(first, admin) is None

    # The second, later: a new case, referred, booked, heard, followed up and closed.
    record = referred(w, "unlisted")
    second = record.request.case
    assert second.pk != first.pk
    assert where(second, admin) == (S.AWAITING_PANEL, "Book into a panel", "Case administrators")
    waiting = [r.request.case_id for r in ready_for_panel()]
    assert waiting.count(second.pk) == 1

    session = a_session(w)
    booking = panel_booking_create(slot=session.slots.first(), triage_record=record, by=admin)
    status, text, owner = where(second, admin)
    assert (status, owner) == (S.BOOKED, "Complex Cases team")
    assert text.startswith("Panel on ")
    assert second.pk not in [r.request.case_id for r in ready_for_panel()]

    # A cancelled booking puts the case back in the queue, once.
    panel_booking_cancel(booking=booking, reason="Practitioner on leave", by=admin)
    assert where(second, admin)[0] == S.AWAITING_PANEL
    assert [r.request.case_id for r in ready_for_panel()].count(second.pk) == 1
    booking = panel_booking_create(slot=session.slots.all()[1], triage_record=record, by=admin)

    hear(booking, admin)
    follow_up = FollowUp.objects.get(booking=booking)
    assert where(second, admin) == (
        S.IN_FOLLOW_UP,
        "Follow-up check-in 1",
        follow_up.qdo.get_full_name(),
    )
    assert next_step_for(second, admin).due == follow_up.due_on

    # "To the next panel": the same case waits for a slot again, and is offered once.
    check_in(follow_up, FollowUp.FurtherSupport.PANEL, w["qdo"])
    assert where(second, admin)[:2] == (S.AWAITING_PANEL, "Book into a panel")
    assert [r.request.case_id for r in ready_for_panel()].count(second.pk) == 1
    again = panel_booking_create(
        slot=a_session(w, starts_at=timezone.now() + timedelta(days=30)).slots.first(),
        triage_record=ready_for_panel().get(request__case=second),
        by=admin,
    )
    assert again.case_id == second.pk
    hear(again, admin)
    assert second.pk not in [r.request.case_id for r in ready_for_panel()]

    # "Back to triage": the practitioner's request joins the same case.
    check_in(FollowUp.objects.get(booking=again), FollowUp.FurtherSupport.TRIAGE, w["qdo"])
    assert where(second, admin) == (S.IN_FOLLOW_UP, "Request a further triage", "Priya Hughes")
    further = a_request(w, "unlisted")
    assert further.case_id == second.pk
    assert where(second, admin)[0] == S.REQUESTED

    # Closed on the pathway from follow-up, after the further triage refers it on.
    request = further
    triage_meeting_schedule(
        request=request,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=45,
        invitees=[(priya, "Practitioner")],
        external_invitees=[],
        by=admin,
    )
    request.meeting.starts_at = timezone.now() - timedelta(hours=1)
    request.meeting.save(update_fields=["starts_at"])
    triage_mark_held(request=request, attended=[], by=manager)
    triage_outcome_record(
        request=request,
        blockers=[Blocker("Housing", [])],
        guidance="Refer again.",
        outcome="refer_to_panel",
        panel_ask="Review progress.",
        by=manager,
    )
    assert [r.request.case_id for r in ready_for_panel()].count(second.pk) == 1
    pathway_close(booking=again, reason="Settled; no further support needed", by=admin)
    second.refresh_from_db()
    assert (second.status, second.closed_reason) == (S.CLOSED, Case.ClosedReason.PATHWAY_CLOSED)
    assert PathwayClosure.objects.get(booking=again).case_id == second.pk
    assert second.pk not in [r.request.case_id for r in ready_for_panel()]
    assert list(Case.objects.filter(person=person).order_by("opened_at")) == [first, second]
