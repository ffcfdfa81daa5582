"""Synthetic joint case work for the demo OPD clinician. Every detail is made up.

Written through the real services, so the demo shows episodes at each stage: one under
way with contacts and feedback, one ended with its aim achieved, and one waiting for its aim.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from complexcases.organisation.models import ProbationDeliveryUnit, Team, User
from complexcases.people.models import Person

from .models import ActivityType, JcwContact, JcwEpisode
from .reference import activity_types_ensure_defaults
from .services import (
    Ratings,
    jcw_contact_record,
    jcw_episode_close,
    jcw_episode_open,
    jcw_feedback_give,
)

CLINICIAN_EMAIL = "opd.clinician@example.com"
PRACTITIONER_EMAIL = "practitioner@example.com"
DEMO_PDU = "NORTHANTS"


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _clinician_in_an_opd_team(clinician: User, pdu: ProbationDeliveryUnit) -> None:
    """The demo clinician starts joint case work in their PDU and sees their team's counts."""
    if clinician.pdu_id and clinician.team_id:
        return
    clinician.pdu = clinician.pdu or pdu
    clinician.team = clinician.team or Team.objects.get_or_create(pdu=pdu, name="OPD pathway")[0]
    clinician.save(update_fields=["pdu", "team"])


def demo_jcw_load() -> int:
    """Three synthetic episodes for the demo clinician and practitioner; running it again changes nothing."""
    activity_types_ensure_defaults()
    clinician = User.objects.filter(email=CLINICIAN_EMAIL).first()
    practitioner = User.objects.filter(email=PRACTITIONER_EMAIL).first()
    pdu = ProbationDeliveryUnit.objects.filter(code=DEMO_PDU).first()
    if clinician is None or practitioner is None or pdu is None:
        return 0
    _clinician_in_an_opd_team(clinician, pdu)
    if JcwEpisode.objects.filter(clinician=clinician).exists():
        return 0
    people = list(
        Person.objects.filter(practitioner=practitioner, pdu=pdu)
        .filter(screenings__opd_screened_in=True)
        .distinct()
        .order_by("crn")[:3]
    )
    if len(people) < 3:
        return 0
    kinds = {a.code: a for a in ActivityType.objects.all()}
    direct, indirect, consultation = JcwContact.ContactType
    with transaction.atomic():
        under_way = jcw_episode_open(
            person=people[0],
            clinician=clinician,
            started_on=timezone.localdate() - timedelta(days=60),
            planned_sessions=4,
            dilemma="Engagement drops after every change of practitioner; he says no one listens. (Demo.)",
            desired_outcome="A shared formulation and a handover plan the practitioner can use. (Demo.)",
        )
        first = jcw_contact_record(
            episode=under_way,
            contact_type=indirect,
            occurred_at=_at(55),
            activity_types=[kinds["formulation_create"], kinds["session_planning"]],
            clinician_took_part=True,
            practitioner_took_part=True,
            notes="Mapped the pattern of disengagement against past losses. (Synthetic demo notes.)",
            next_steps="Practitioner to try the planned opening for the next supervision.",
            by=clinician,
        )
        jcw_contact_record(
            episode=under_way,
            contact_type=consultation,
            occurred_at=_at(40),
            clinician_took_part=True,
            practitioner_took_part=True,
            notes="Short case consultation after a missed appointment. (Synthetic demo notes.)",
            by=practitioner,
        )
        jcw_contact_record(
            episode=under_way,
            contact_type=direct,
            occurred_at=_at(20, 14),
            activity_types=[kinds["meeting_support"], kinds["formulation_update"]],
            clinician_took_part=True,
            practitioner_took_part=True,
            others_took_part="Approved premises key worker",
            notes="Joint meeting before the professionals meeting. (Synthetic demo notes.)",
            by=clinician,
        )
        jcw_feedback_give(
            episode=under_way,
            contact=first,
            ratings=Ratings(
                understanding=4,
                practice_impact=5,
                apply_skills=4,
                important=5,
                risk_management=4,
                confidence_before=2,
                confidence_after=4,
            ),
            worked_well="Having the time to think it through. (Demo.)",
            did_not_work="Hard to find a slot in both diaries. (Demo.)",
            by=practitioner,
        )

        ended = jcw_episode_open(
            person=people[1],
            clinician=clinician,
            started_on=timezone.localdate() - timedelta(days=120),
            planned_sessions=2,
            dilemma="Hostile in supervision since the recall. (Demo.)",
            desired_outcome="A supervision plan that lowers the temperature. (Demo.)",
        )
        for days_ago, kind in ((110, "letter"), (95, "case_review")):
            jcw_contact_record(
                episode=ended,
                contact_type=indirect,
                occurred_at=_at(days_ago),
                activity_types=[kinds[kind]],
                clinician_took_part=True,
                practitioner_took_part=True,
                notes="Worked on the supervision plan together. (Synthetic demo notes.)",
                by=clinician,
            )
        jcw_episode_close(
            episode=ended,
            outcome=JcwEpisode.Outcome.ACHIEVED,
            closing_note="Supervision calmer; the plan is in use. (Demo.)",
            closed_on=timezone.localdate() - timedelta(days=90),
            by=clinician,
        )
        jcw_feedback_give(
            episode=ended,
            ratings=Ratings(
                understanding=3,
                practice_impact=4,
                apply_skills=5,
                important=4,
                risk_management=5,
                confidence_before=1,
                confidence_after=3,
            ),
            worked_well="The letter helped him hear it differently. (Demo.)",
            by=practitioner,
        )

        jcw_episode_open(
            person=people[2],
            clinician=clinician,
            started_on=timezone.localdate() - timedelta(days=3),
            planned_sessions=3,
        )
    return 3
