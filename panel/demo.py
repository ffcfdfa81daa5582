"""Synthetic demo panel: members for the demo region, a recurring panel, a case waiting for a
slot, a case booked with invitations sent, and a case heard with final minutes and actions.
Built through the real services; never real people. Running it again changes nothing."""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from complexcases.organisation.models import Region, User
from complexcases.people.models import Person
from complexcases.screening.models import MonthlyListEntry
from triage.models import Theme, TriageRequest
from triage.services import (
    Blocker,
    triage_mark_held,
    triage_meeting_schedule,
    triage_outcome_record,
    triage_request_create,
)

from .models import PanelBooking, PanelMember, PanelRole, PanelSession
from .reference import early_outcomes_ensure_defaults, panel_roles_ensure_defaults
from .services.actions import ActionDraft, panel_actions_add
from .services.bookings import panel_booking_create, panel_invitations_send
from .services.minutes import panel_minutes_finalise, panel_minutes_save
from .services.sessions import panel_pattern_create, panel_session_create

# (seat code, staff email or None, external name, organisation, email)
MEMBERS = [
    ("chair", "panel.member@example.com", "", "", ""),
    ("deputy_chair", "programme.manager@example.com", "", "", ""),
    ("head_of_pdu", "head.of.service@example.com", "", "", ""),
    ("case_administrator", "case.admin@example.com", "", "", ""),
    ("qdo_representative", "qdo@example.com", "", "", ""),
    ("custody_psychologist", "psychologist@example.com", "", "", ""),
    ("opd_regional_lead", "opd.clinician@example.com", "", "", ""),
    ("opd_lead", None, "Robin Ashby", "Synthetic NHS OPD service", "robin.ashby@nhs.example"),
    ("mental_health", None, "Morgan Reyes", "Synthetic community mental health team", "morgan.reyes@nhs.example"),
    ("adult_social_care", None, "Jamie Okoro", "Synthetic county council adult social care", "jamie.okoro@council.example"),
    ("equalities_manager", None, "Sasha Bloom", "Synthetic equalities team", "sasha.bloom@justice.example"),
]  # fmt: skip


def _referred(person: Person, *, themes: list[str], ask: str, by: User, practitioner: User):
    request = triage_request_create(
        person=person,
        requested_by=practitioner,
        requester_role=TriageRequest.RequesterRole.PRACTITIONER,
        blockers="Repeated breaches and no stable accommodation; hostility towards staff. (Demo.)",
        tried="Two approved premises referrals; joint visits with the mental health team. (Demo.)",
        support_sought="Senior help to unblock accommodation and mental health support. (Demo.)",
        urgent=False,
        listed_this_month=True,
    )
    # Requested a fortnight ago; the meeting, arranged by phone, is recorded after it happened
    # ten days ago, so the dashboard's days from request to meeting are four, not negative.
    request.requested_at = timezone.now() - timedelta(days=14)
    TriageRequest.objects.filter(pk=request.pk).update(requested_at=request.requested_at)
    triage_meeting_schedule(
        request=request,
        starts_at=timezone.now() - timedelta(days=10),
        duration_minutes=45,
        invitees=[(practitioner, "Practitioner")],
        external_invitees=[],
        by=by,
    )
    triage_mark_held(request=request, attended=[], by=by)
    return triage_outcome_record(
        request=request,
        blockers=[
            Blocker(
                "No approved premises place on release (demo)",
                list(Theme.objects.filter(name__in=themes)),
            )
        ],
        guidance="Escalate the approved premises referral; ask for a mental health assessment. (Demo.)",
        outcome="refer_to_panel",
        panel_ask=ask,
        by=by,
    )


def _move_to_past(session: PanelSession, *, days: int) -> None:
    shift = timezone.now() - timedelta(days=days) - session.starts_at
    session.starts_at += shift
    session.papers_released_at = session.starts_at - timedelta(days=3)
    session.save(update_fields=["starts_at", "papers_released_at"])
    for slot in session.slots.all():
        slot.starts_at += shift
        slot.save(update_fields=["starts_at"])


@transaction.atomic
def demo_panel_load() -> int:
    """Return the number of demo panel cases made (0 when they already exist)."""
    panel_roles_ensure_defaults()
    early_outcomes_ensure_defaults()  # a migration made them; `load_demo_data --reset` empties them
    admin = User.objects.filter(email="case.admin@example.com").first()
    manager = User.objects.filter(email="programme.manager@example.com").first()
    practitioner = User.objects.filter(email="practitioner@example.com").first()
    if not (admin and manager and practitioner) or PanelBooking.objects.exists():
        return 0
    people = list(
        Person.objects.filter(
            practitioner=practitioner,
            list_entries__status__in=[
                MonthlyListEntry.Status.NEW,
                MonthlyListEntry.Status.LISTED_AGAIN,
            ],
            triage_requests__isnull=True,
        )
        .distinct()
        .order_by("crn")[:3]
    )
    if len(people) < 3:
        return 0
    region = people[0].pdu.region
    roles = {role.code: role for role in PanelRole.objects.all()}
    for code, email, name, organisation, address in MEMBERS:
        user = User.objects.filter(email=email).first() if email else None
        if email and user is None:
            continue
        PanelMember.objects.get_or_create(
            region=region,
            role=roles[code],
            user=user,
            name=name,
            defaults={
                "organisation": organisation,
                "email": address,
                "pdu": user.pdu if code == "head_of_pdu" and user else None,
            },
        )
    panel_pattern_create(
        region=Region.objects.get(pk=region.pk),
        week=1,
        weekday=0,
        start_time=time(10, 0),
        slot_count=4,
        slot_minutes=45,
        months_ahead=3,
        by=admin,
    )

    heard, booked, waiting = people
    # Heard last week: final minutes and three actions.
    past = panel_session_create(
        region=region,
        starts_at=timezone.now() + timedelta(days=1),
        slot_count=2,
        slot_minutes=45,
        by=admin,
    )
    record = _referred(
        heard,
        themes=["Housing or approved premises", "Mental health"],
        ask="Help securing an approved premises place and a mental health assessment. (Demo.)",
        by=manager,
        practitioner=practitioner,
    )
    booking = panel_booking_create(slot=past.slots.first(), triage_record=record, by=admin)
    panel_invitations_send(booking=booking, by=admin)
    _move_to_past(past, days=7)
    booking.refresh_from_db()
    panel_minutes_save(
        booking=booking,
        content={
            "introductions": "The chair welcomed members and reminded everyone that the panel does not replace MAPPA. (Demo.)",
            "mappa_reminder_given": True,
            "case_overview": "The practitioner described the accommodation and mental health blockers. (Demo.)",
            "questions_and_reflections": "Members asked about previous approved premises refusals. (Demo.)",
            "member_support": "Head of PDU to escalate; mental health representative to arrange an assessment. (Demo.)",
            "chair_summary": "Three actions agreed; follow-up in four weeks. (Demo.)",
            "final_questions": "None.",
        },
        attendance={invitee.pk: "attended" for invitee in booking.invitees.all()},
        by=admin,
    )
    agreed = timezone.localdate(booking.slot.starts_at)
    head = User.objects.filter(email="head.of.service@example.com").first() or manager
    qdo = User.objects.filter(email="qdo@example.com").first() or manager
    panel_actions_add(
        booking=booking,
        actions=[
            ActionDraft(
                "Escalate the approved premises referral", agreed + timedelta(days=14), owner=head
            ),
            ActionDraft(
                "Arrange a mental health assessment",
                agreed + timedelta(days=21),
                owner_name="Morgan Reyes, community mental health team",
                chaser=qdo,
            ),
            ActionDraft(
                "Hold a professionals meeting", agreed + timedelta(days=10), owner=practitioner
            ),
        ],
        by=admin,
    )
    panel_minutes_finalise(booking=booking, by=admin)

    # Booked into the next recurring session, invitations sent.
    record = _referred(
        booked,
        themes=["Gender identity", "Violence or hostility towards staff"],
        ask="Advice on managing hostility towards staff and gender identity needs. (Demo.)",
        by=manager,
        practitioner=practitioner,
    )
    next_session = PanelSession.objects.filter(
        pattern__isnull=False, starts_at__gt=timezone.now()
    ).first()
    booking = panel_booking_create(slot=next_session.slots.first(), triage_record=record, by=admin)
    panel_invitations_send(booking=booking, by=admin)

    # Waiting for a slot.
    _referred(
        waiting,
        themes=["Substance misuse"],
        ask="Routes into residential treatment. (Demo.)",
        by=manager,
        practitioner=practitioner,
    )
    return 3
