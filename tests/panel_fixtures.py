"""A case referred to panel, a region's panel members, and a session to book it into."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complexcases.organisation.roles import Role
from panel.models import PanelMember, PanelRole, PanelSession
from panel.reference import panel_roles_ensure_defaults
from tests.factories import UserFactory
from tests.triage_fixtures import a_request, next_week_at_10


def referred(world, person_key="listed", themes=("Housing or approved premises",), **changes):
    """A triage request taken through its meeting to the outcome "refer to panel"."""
    from triage.models import Theme
    from triage.services import (
        Blocker,
        triage_mark_held,
        triage_meeting_schedule,
        triage_outcome_record,
    )

    request = a_request(world, person_key, **changes)
    meeting = triage_meeting_schedule(
        request=request,
        starts_at=next_week_at_10(),
        duration_minutes=45,
        invitees=[(world["priya"], "Practitioner")],
        external_invitees=[],
        by=world["admin"],
    )
    meeting.starts_at = timezone.now() - timedelta(hours=2)
    meeting.save(update_fields=["starts_at"])
    triage_mark_held(request=request, attended=[], by=world["manager"])
    return triage_outcome_record(
        request=request,
        blockers=[
            Blocker("No approved premises place", list(Theme.objects.filter(name__in=themes)))
        ],
        guidance="Escalate the AP referral.",
        outcome="refer_to_panel",
        panel_ask="Help securing an approved premises place.",
        by=world["manager"],
    )


def a_session(world, *, starts_at=None, slots=4):
    from panel.services import panel_session_create

    return panel_session_create(
        region=world["listed"].pdu.region,
        starts_at=starts_at or next_week_at_10() + timedelta(days=7),
        slot_count=slots,
        slot_minutes=45,
        by=world["admin"],
    )


def held(booking):
    """Move the booking's session into the past, as if the panel has met."""
    session = booking.slot.session
    shift = timezone.now() - timedelta(hours=3) - session.starts_at
    session.starts_at += shift
    session.save(update_fields=["starts_at"])
    for slot in session.slots.all():
        slot.starts_at += shift
        slot.save(update_fields=["starts_at"])
    booking.refresh_from_db()
    return booking


@pytest.fixture
def panel_world(triage_world):
    """triage_world plus the East of England panel's members and one case referred to panel."""
    panel_roles_ensure_defaults()  # seeded by a data migration; a transactional test's flush removes them
    world = dict(triage_world)
    region = world["listed"].pdu.region
    roles = {role.code: role for role in PanelRole.objects.all()}
    world["chair"] = UserFactory(
        first_name="Helen",
        last_name="Ortiz",
        email="helen.ortiz@example.com",
        roles=[Role.PANEL_MEMBER],
    )
    world["head_of_pdu"] = UserFactory(
        first_name="Nadia",
        last_name="Price",
        email="nadia.price@example.com",
        pdu=world["listed"].pdu,
        roles=[Role.HEAD_OF_SERVICE, Role.PANEL_MEMBER],
    )
    PanelMember.objects.create(region=region, role=roles["chair"], user=world["chair"])
    PanelMember.objects.create(region=region, role=roles["deputy_chair"], user=world["manager"])
    PanelMember.objects.create(
        region=region, role=roles["head_of_pdu"], user=world["head_of_pdu"], pdu=world["listed"].pdu
    )
    PanelMember.objects.create(region=region, role=roles["case_administrator"], user=world["admin"])
    PanelMember.objects.create(region=region, role=roles["qdo_representative"], user=world["qdo"])
    PanelMember.objects.create(
        region=region,
        role=roles["opd_lead"],
        name="Olu Bakare",
        organisation="NHS OPD service",
        email="olu.bakare@nhs.example",
    )
    PanelMember.objects.create(
        region=region,
        role=roles["mental_health"],
        name="Mina Shah",
        organisation="Community mental health team",
        email="mina.shah@nhs.example",
    )
    world["roles"] = roles
    world["record"] = referred(world)
    world["session"] = a_session(world)
    return world


__all__ = ["PanelSession", "a_session", "held", "referred"]


def panel_matrix_objects(world, users) -> tuple[dict, dict]:
    """For the access matrix: a case at panel that Priya's team may see, with every case-holding
    and panel role among its invitees, papers released and minutes final; one in Cambridgeshire
    that they may not; and one case still waiting for a slot."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complexcases.organisation.roles import Role
    from panel.services import (
        ActionDraft,
        panel_actions_add,
        panel_booking_create,
        panel_invitee_add,
        panel_minutes_finalise,
        panel_minutes_save,
        panel_paper_add,
    )

    panel_roles_ensure_defaults()
    other_role = PanelRole.objects.get(code="other")
    visible_session, hidden_session = a_session(world), a_session(world, slots=1)
    a_session(world, starts_at=next_week_at_10() + timedelta(days=21))  # free slots to book into
    booking = panel_booking_create(
        slot=visible_session.slots.first(), triage_record=referred(world), by=world["admin"]
    )
    for role in (Role.HEAD_OF_SERVICE, Role.PANEL_MEMBER, Role.OPD_CLINICIAN):
        panel_invitee_add(booking=booking, role=other_role, user=users[role], by=world["admin"])
    paper = panel_paper_add(
        booking=booking,
        title="Psychology report",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.7\n"),
        by=world["admin"],
    )
    hidden_booking = panel_booking_create(
        slot=hidden_session.slots.first(),
        triage_record=referred(world, "elsewhere", requested_by=world["other"]),
        by=world["admin"],
    )
    hidden_paper = panel_paper_add(
        booking=hidden_booking,
        title="Report",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.7\n"),
        by=world["admin"],
    )
    ready = referred(world, "unlisted", listed_this_month=False)
    held(booking)
    PanelSession.objects.filter(pk__in=[visible_session.pk, hidden_session.pk]).update(
        papers_released_at=timezone.now()
    )
    everyone = {invitee.pk: "attended" for invitee in booking.invitees.all()}
    panel_minutes_save(
        booking=booking,
        content={"chair_summary": "Two actions."},
        attendance=everyone,
        by=world["admin"],
    )
    panel_minutes_finalise(booking=booking, by=world["admin"])
    booking.refresh_from_db()
    invitee = booking.invitees.get(user=world["priya"])
    (action,) = panel_actions_add(
        booking=booking,
        actions=[
            ActionDraft(
                "Escalate AP referral",
                booking.slot.starts_at.date() + timedelta(days=14),
                owner=world["priya"],
            )
        ],
        by=world["admin"],
    )
    (hidden_action,) = panel_actions_add(
        booking=hidden_booking,
        actions=[
            ActionDraft(
                "Share report",
                hidden_booking.slot.starts_at.date() + timedelta(days=14),
                owner=world["other"],
            )
        ],
        by=world["admin"],
    )
    papers_link, hidden_papers_link = (
        _outside_invitee_link(each, world["admin"]) for each in (booking, hidden_booking)
    )
    visible = {
        "panel-papers-link": papers_link,
        "panel-session": visible_session,
        "panel-booking": booking,
        "panel-invitee": invitee,
        "panel-paper": paper,
        "panel-version": booking,
        "panel-ready": ready,
        "panel-action": action,
        "panel-follow-up": booking.follow_ups.get(),
        "panel-staff": world["priya"],
    }
    hidden = {
        "panel-papers-link": hidden_papers_link,
        "panel-session": hidden_session,
        "panel-booking": hidden_booking,
        "panel-invitee": hidden_booking.invitees.first(),
        "panel-paper": hidden_paper,
        "panel-version": hidden_booking,  # no minutes: a 404 either way
        "panel-ready": None,  # the queue is the team's: anyone who may open it sees every case
        "panel-action": hidden_action,
        "panel-follow-up": None,  # follow-ups are the team's (QDOs, programme managers, administrators)
        "panel-staff": None,  # an SPO's scope (their team) is tested in tests/panel/test_after_panel.py
    }
    return visible, hidden


def _outside_invitee_link(booking, by):
    """An invitee from outside the service with a personal link to the papers (ADR 0045)."""
    from panel.models import PanelInvitee
    from panel.services.papers_links import papers_link_issue

    invitee = PanelInvitee.objects.create(
        booking=booking,
        role=PanelRole.objects.get(code="adult_social_care"),
        name="Kit Jones",
        organisation="Example County Council",
        email=f"kit.jones.{booking.pk}@council.example",
        invited_at=timezone.now(),
    )
    link, _token = papers_link_issue(invitee=invitee, email=invitee.email, by=by)
    return link


def panel_kwargs(kind, obj) -> dict:
    if kind in ("panel-session", "panel-booking"):
        return {"pk": obj.pk}
    if kind == "panel-invitee":
        return {"pk": obj.booking_id, "invitee_id": obj.pk}
    if kind == "panel-paper":
        return {"pk": obj.booking_id, "paper_id": obj.pk}
    if kind == "panel-version":
        return {"pk": obj.pk, "number": 1}
    if kind == "panel-ready":
        return {"record_id": obj.pk}
    if kind in ("panel-action", "panel-follow-up"):
        return {"pk": obj.pk}
    if kind == "panel-staff":
        return {"user_id": obj.pk}
    if kind == "panel-papers-link":
        return {"pk": obj.booking_id, "link_id": obj.pk}
    raise AssertionError(kind)
