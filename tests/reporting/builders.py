"""A known, hand-countable data set for the reporting figures, written straight to the models
with fixed dates (so every figure can be worked out on paper). Every detail is made up.

"Today" is 15 September 2026; "the last 3 months" is July to September 2026.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count

from django.db.models import Q
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.screening.extract import FLAG_COLUMNS
from complexcases.screening.models import (
    Extract,
    MonthlyList,
    MonthlyListEntry,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from jcw.models import ActivityType, JcwContact, JcwContactActivity, JcwEpisode, JcwFeedback
from jcw.reference import activity_types_ensure_defaults
from panel.models import (
    EarlyOutcome,
    FollowUp,
    PanelAction,
    PanelBooking,
    PanelInvitee,
    PanelRole,
    PanelSession,
    PanelSlot,
)
from panel.reference import early_outcomes_ensure_defaults, panel_roles_ensure_defaults
from tests.factories import ProbationDeliveryUnitFactory, RegionFactory, TeamFactory, UserFactory
from triage.models import Theme, TriageBlocker, TriageMeeting, TriageRecord, TriageRequest
from triage.reference import themes_ensure_defaults

TODAY = date(2026, 9, 15)
HOUSING = "Housing or approved premises"
MENTAL_HEALTH = "Mental health"
VIOLENCE = "Violence or hostility towards staff"
GENDER = "Gender identity"

_crn = count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _set(model, pk, **fields):
    """Set auto_now_add timestamps (and anything else) after creation."""
    model.objects.filter(pk=pk).update(**fields)


def person(world, pdu_code: str, practitioner, *, surname: str = "Example") -> Person:
    number = next(_crn)
    return Person.objects.create(
        crn=f"R{number:06d}",
        surname=surname,
        forenames="Test",
        date_of_birth=date(1980, 1, 1),
        pdu=world.pdus[pdu_code],
        practitioner=practitioner,
        custody_status="community",
        as_at=date(2026, 9, 1),
    )


FLAGS = dict.fromkeys(FLAG_COLUMNS, False)


def screening(extract: Extract, who: Person, criteria: list[int]) -> Screening:
    """A version from this extract (ADR 0018), fitted between the person's others."""
    day = extract.extract_date
    Screening.objects.filter(person=who, as_at__lt=day).filter(
        Q(until__isnull=True) | Q(until__gt=day)
    ).update(until=day)
    later = (
        Screening.objects.filter(person=who, as_at__gt=day)
        .order_by("as_at")
        .values_list("as_at", flat=True)
        .first()
    )
    return Screening.objects.create(
        person=who,
        extract=extract,
        as_at=day,
        until=later,
        pdu=who.pdu,
        oasys_4_8_learning_difficulties=0,
        sentence_type="SDS",
        criteria_met=criteria,
        criteria_met_count=len(criteria),
        **FLAGS,
    )


def listed(month: date, who: Person, status: str, criteria: list[int]) -> MonthlyListEntry:
    extract, _ = Extract.objects.get_or_create(
        extract_date=month, defaults={"sha256": "0" * 64, "filename": "x.csv", "row_count": 1}
    )
    monthly_list, _ = MonthlyList.objects.get_or_create(
        month=month, pdu=who.pdu, defaults={"extract": extract, "threshold": 6}
    )
    found = Screening.objects.filter(extract=extract, person=who).first()
    return MonthlyListEntry.objects.create(
        monthly_list=monthly_list,
        person=who,
        screening=found or screening(extract, who, criteria),
        status=status,
    )


def conversation(entry: MonthlyListEntry, world) -> ReflectiveConversation:
    return ReflectiveConversation.objects.create(
        entry=entry,
        person=entry.person,
        held_on=entry.monthly_list.month + timedelta(days=3),
        spo=world.spo,
        notes="Synthetic",
        outcome="no_further_support",
        recorded_by=world.spo,
    )


def triage(
    world,
    who: Person,
    *,
    requested: date,
    met: date | None = None,
    outcome: str = "",
    themes: tuple[str, ...] = (),
    redirect_to: str = "",
    below_threshold: bool = False,
) -> TriageRequest:
    """A request; a meeting on `met`; an outcome recorded that day (or held, awaiting one)."""
    status = "requested"
    if met:
        status = "outcome_recorded" if outcome else "held"
    request = TriageRequest.objects.create(
        case=_case(who, requested, status=_case_status(outcome, met)),
        person=who,
        requested_by=who.practitioner,
        requester_role="practitioner",
        blockers="Synthetic",
        tried="Synthetic",
        support_sought="Synthetic",
        below_threshold_reason="Housing crisis" if below_threshold else "",
        status=status,
    )
    _set(TriageRequest, request.pk, requested_at=at(requested, 9))
    if met:
        TriageMeeting.objects.create(
            request=request, starts_at=at(met, 14), scheduled_by=world.admin
        )
    if outcome:
        record = TriageRecord.objects.create(
            request=request,
            guidance="Synthetic",
            outcome=outcome,
            panel_ask="Synthetic" if outcome == "refer_to_panel" else "",
            redirect_to=redirect_to,
            redirect_reason="Synthetic" if redirect_to else "",
            recorded_by=world.admin,
        )
        _set(TriageRecord, record.pk, recorded_at=at(met, 16))
        blocker = TriageBlocker.objects.create(record=record, description="Synthetic")
        blocker.themes.set(Theme.objects.filter(name__in=themes))
    request.refresh_from_db()
    return request


_case_numbers = count(1)


def _case_status(outcome: str, met: date | None) -> str:
    if outcome == "refer_to_panel":
        return Case.Status.AWAITING_PANEL
    if outcome:
        return Case.Status.CLOSED
    return Case.Status.TRIAGE_HELD if met else Case.Status.REQUESTED


def _case(who: Person, opened: date, *, status: str) -> Case:
    """The person's open case (a later request joins it, as the migration groups them), or a
    new one; a case closed at triage is closed the day it opened."""
    case = Case.objects.filter(person=who).exclude(status=Case.Status.CLOSED).first()
    if case is None:
        case = Case(person=who, opened_at=at(opened, 9), status_changed_at=at(opened, 9))
        case.reference = f"CC-{opened:%Y}-{next(_case_numbers):05d}"
    case.status = status
    if status == Case.Status.CLOSED:
        case.closed_at, case.closed_reason = at(opened, 17), Case.ClosedReason.GUIDANCE
    case.save()
    return case


def heard(world, request: TriageRequest, *, on: date, attendance: dict[str, str]) -> PanelBooking:
    session = PanelSession.objects.create(region=request.person.pdu.region, starts_at=at(on))
    slot = PanelSlot.objects.create(session=session, position=1, starts_at=at(on))
    booking = PanelBooking.objects.create(
        slot=slot,
        person=request.person,
        triage_record=request.record,
        case=request.case,
        status="heard",
        booked_by=world.admin,
    )
    for code, attended in attendance.items():
        PanelInvitee.objects.create(
            booking=booking,
            role=PanelRole.objects.get(code=code),
            user=world.admin if code == "case_administrator" else None,
            name="" if code == "case_administrator" else f"Member {code}",
            email="" if code == "case_administrator" else f"{code}@example.com",
            attendance=attended,
        )
    # Someone removed from the list before the panel is not counted.
    PanelInvitee.objects.create(
        booking=booking,
        role=PanelRole.objects.get(code="chair"),
        name="Removed Member",
        email="removed@example.com",
        removed_at=at(on - timedelta(days=7)),
        attendance="",
    )
    return booking


def action(
    world, booking: PanelBooking, *, due: date, status: str = "open", closed: date | None = None
):
    made = PanelAction.objects.create(
        booking=booking,
        person=booking.person,
        description="Synthetic",
        owner=world.admin,
        agreed_on=booking.slot.starts_at.date(),
        due_date=due,
        status=status,
        outcome_note="" if status == "open" else "Synthetic",
        closed_at=at(closed) if closed else None,
        created_by=world.admin,
    )
    return made


def follow_up(
    booking: PanelBooking,
    *,
    number: int,
    due: date,
    status: str = "scheduled",
    completed: date | None = None,
    outcomes: tuple[str, ...] = (),
) -> FollowUp:
    made = FollowUp.objects.create(
        booking=booking,
        person=booking.person,
        number=number,
        due_on=due,
        status=status,
        wellbeing="managing" if status == "completed" else "",
        further_support="none" if status == "completed" else "",
        held_on=completed if status == "completed" else None,
        completed_at=at(completed) if completed else None,
    )
    made.early_outcomes.set(EarlyOutcome.objects.filter(name__in=outcomes))
    return made


def jcw_episode(world, who: Person) -> JcwEpisode:
    return JcwEpisode.objects.create(
        person=who,
        pdu=who.pdu,
        clinician=world.clinician,
        practitioner=who.practitioner,
        opd_screened_in=True,
        dilemma="Synthetic",
        desired_outcome="Synthetic",
        planned_sessions=4,
        started_on=date(2026, 6, 1),
    )


def jcw_contact(
    world, episode, *, on: date, kind: str, activities: tuple[str, ...] = (), session=None
):
    contact = JcwContact.objects.create(
        episode=episode,
        contact_type=kind,
        occurred_at=at(on),
        session_number=session if kind != "consultation" else None,
        notes="Synthetic",
        recorded_by=world.clinician,
    )
    for code in activities:
        JcwContactActivity.objects.create(
            contact=contact, activity_type=ActivityType.objects.get(code=code)
        )
    return contact


def jcw_feedback(episode, contact, *, given: date, ratings: tuple[int, ...]) -> JcwFeedback:
    names = (
        "understanding",
        "practice_impact",
        "apply_skills",
        "important",
        "risk_management",
        "confidence_before",
        "confidence_after",
    )
    made = JcwFeedback.objects.create(
        episode=episode,
        contact=contact,
        stage="after_contact",
        given_by=episode.practitioner,
        **dict(zip(names, ratings, strict=True)),
    )
    _set(JcwFeedback, made.pk, given_at=at(given))
    return made


@dataclass
class World:
    pdus: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    spo: object = None
    admin: object = None
    clinician: object = None
    bookings: dict = field(default_factory=dict)


def build_world() -> World:
    """The data set the figures in test_selectors.py are counted from (see each test)."""
    themes_ensure_defaults()
    panel_roles_ensure_defaults()
    early_outcomes_ensure_defaults()
    activity_types_ensure_defaults()
    world = World()
    east = RegionFactory(code="EOE", name="East of England")
    london = RegionFactory(code="LDN", name="London")
    world.pdus = {
        "NORTHANTS": ProbationDeliveryUnitFactory(code="NORTHANTS", name="Northamptonshire", region=east),
        "CAMBS": ProbationDeliveryUnitFactory(code="CAMBS", name="Cambridgeshire and Peterborough", region=east),
        "LONDONN": ProbationDeliveryUnitFactory(code="LONDONN", name="North London", region=london),
    }  # fmt: skip
    team_a = TeamFactory(pdu=world.pdus["NORTHANTS"], name="Northampton North")
    team_b = TeamFactory(pdu=world.pdus["NORTHANTS"], name="Northampton South")
    world.spo = UserFactory(
        pdu=world.pdus["NORTHANTS"], team=team_a, roles=[Role.SENIOR_PROBATION_OFFICER]
    )
    world.admin = UserFactory(roles=[Role.CASE_ADMINISTRATOR])
    world.clinician = UserFactory(pdu=world.pdus["NORTHANTS"], roles=[Role.OPD_CLINICIAN])
    pa = UserFactory(pdu=world.pdus["NORTHANTS"], team=team_a, line_manager=world.spo,
                     roles=[Role.PROBATION_PRACTITIONER])  # fmt: skip
    pb = UserFactory(pdu=world.pdus["NORTHANTS"], team=team_b, roles=[Role.PROBATION_PRACTITIONER])
    pc = UserFactory(pdu=world.pdus["CAMBS"], roles=[Role.PROBATION_PRACTITIONER])
    pl = UserFactory(pdu=world.pdus["LONDONN"], roles=[Role.PROBATION_PRACTITIONER])
    world.users = {"pa": pa, "pb": pb, "pc": pc, "pl": pl}
    p = world.people
    p["N1"] = person(world, "NORTHANTS", pa)
    p["N2"] = person(world, "NORTHANTS", pa)
    p["N3"] = person(world, "NORTHANTS", pa)
    p["N4"] = person(world, "NORTHANTS", pb)
    p["N5"] = person(world, "NORTHANTS", pa)
    p["N6"] = person(world, "NORTHANTS", pa, surname="Zebedee")
    p["C1"] = person(world, "CAMBS", pc)
    p["L1"] = person(world, "LONDONN", pl)

    # The lists: August (earlier) and September 2026 (the period's last month).
    august, september = date(2026, 8, 1), date(2026, 9, 1)
    listed(august, p["N2"], "new", [1, 2, 3, 4, 5, 6, 7])
    listed(august, p["N3"], "new", [1, 2, 3, 4, 5, 6, 7, 8])
    listed(august, p["N5"], "new", [1, 2, 3, 4, 5, 6])
    n1 = listed(september, p["N1"], "new", [1, 2, 3, 4, 5, 6])
    listed(september, p["N2"], "listed_again", [1, 2, 3, 4, 5, 6, 7])
    n3 = listed(september, p["N3"], "listed_again", [1, 2, 3, 4, 5, 6, 7, 8])
    listed(september, p["N4"], "new", [1, 2, 3, 5, 6, 7])
    MonthlyListEntry.objects.create(
        monthly_list=MonthlyList.objects.get(month=september, pdu=world.pdus["NORTHANTS"]),
        person=p["N5"],
        screening=None,
        status="no_longer_listed",
    )
    listed(september, p["C1"], "new", [2, 3, 4, 5, 6, 7])
    listed(september, p["L1"], "listed_again", [1, 2, 3, 5, 6, 8])
    conversation(n1, world)
    conversation(n3, world)

    # Triage: requests, meetings and outcomes.
    r1 = triage(world, p["N1"], requested=date(2026, 7, 3), met=date(2026, 7, 10),
                outcome="refer_to_panel", themes=(HOUSING, MENTAL_HEALTH))  # fmt: skip
    triage(world, p["N2"], requested=date(2026, 8, 4), met=date(2026, 8, 7),
           outcome="closed_with_guidance", themes=(HOUSING,))  # fmt: skip
    triage(world, p["N4"], requested=date(2026, 8, 10), met=date(2026, 8, 20))
    triage(world, p["C1"], requested=date(2026, 9, 1))
    triage(world, p["L1"], requested=date(2026, 7, 15), met=date(2026, 7, 16),
           outcome="redirect", redirect_to="mappa", themes=(VIOLENCE,))  # fmt: skip
    r7 = triage(world, p["N6"], requested=date(2026, 9, 2), met=date(2026, 9, 4),
                outcome="refer_to_panel", themes=(GENDER,), below_threshold=True)  # fmt: skip
    triage(world, p["N3"], requested=date(2026, 5, 5), met=date(2026, 5, 6),
           outcome="closed_with_guidance", themes=(HOUSING,))  # before the period  # fmt: skip

    override = PathwayOverride.objects.create(
        person=p["N6"], reason="Synthetic", criteria_met_count=3, marked_by=pa
    )
    _set(PathwayOverride, override.pk, marked_at=at(date(2026, 9, 1)))
    earlier = PathwayOverride.objects.create(
        person=p["N5"], reason="Synthetic", criteria_met_count=4, marked_by=pa
    )
    _set(PathwayOverride, earlier.pk, marked_at=at(date(2026, 4, 1)))

    # Panel: two cases heard, their attendance, actions and follow-ups.
    b1 = heard(world, r1, on=date(2026, 7, 24), attendance={
        "chair": "attended", "head_of_pdu": "deputy", "qdo_representative": "apologies",
        "case_administrator": "attended",
    })  # fmt: skip
    b2 = heard(world, r7, on=date(2026, 9, 8), attendance={
        "chair": "attended", "head_of_pdu": "attended", "qdo_representative": "attended",
        "case_administrator": "apologies",
    })  # fmt: skip
    world.bookings = {"b1": b1, "b2": b2}
    action(world, b1, due=date(2026, 8, 1), status="done", closed=date(2026, 7, 30))
    action(world, b1, due=date(2026, 8, 5), status="done", closed=date(2026, 8, 10))
    action(world, b1, due=date(2026, 8, 20))
    action(world, b1, due=date(2026, 9, 30))
    action(world, b1, due=date(2026, 8, 15), status="not_needed", closed=date(2026, 8, 1))
    action(world, b2, due=date(2026, 9, 12), status="done", closed=date(2026, 9, 11))
    follow_up(b1, number=1, due=date(2026, 8, 21), status="completed", completed=date(2026, 8, 22),
              outcomes=("Approved premises place secured", "Mental health support in place"))  # fmt: skip
    follow_up(b1, number=2, due=date(2026, 9, 10))
    follow_up(b2, number=1, due=date(2026, 9, 29))
    follow_up(b2, number=2, due=date(2026, 9, 5), status="cancelled")

    # Joint case work for N1.
    episode = jcw_episode(world, p["N1"])
    j1 = jcw_contact(world, episode, on=date(2026, 7, 20), kind="direct",
                     activities=("formulation_create", "letter"), session=1)  # fmt: skip
    j2 = jcw_contact(world, episode, on=date(2026, 8, 20), kind="indirect",
                     activities=("case_review",), session=2)  # fmt: skip
    jcw_contact(world, episode, on=date(2026, 8, 25), kind="consultation")
    jcw_contact(
        world, episode, on=date(2026, 6, 10), kind="direct", activities=("letter",), session=3
    )
    jcw_feedback(episode, j1, given=date(2026, 7, 21), ratings=(4, 5, 3, 4, 5, 2, 4))
    jcw_feedback(episode, j2, given=date(2026, 8, 21), ratings=(2, 3, 3, 4, 5, 3, 4))
    return world


def grow(world: World, times: int = 3) -> None:
    """More of everything, for the fixed-number-of-queries tests."""
    for n in range(times):
        pa = world.users["pa"]
        extra = person(world, "NORTHANTS", pa)
        entry = listed(date(2026, 9, 1), extra, "new", [1, 2, 3, 4, 5, 6, 7])
        conversation(entry, world)
        request = triage(world, extra, requested=date(2026, 8, 1 + n), met=date(2026, 8, 10 + n),
                         outcome="refer_to_panel", themes=(HOUSING, GENDER))  # fmt: skip
        booking = heard(world, request, on=date(2026, 8, 20 + n), attendance={
            "chair": "attended", "head_of_pdu": "apologies",
        })  # fmt: skip
        action(world, booking, due=date(2026, 9, 1), status="done", closed=date(2026, 8, 30))
        follow_up(booking, number=1, due=date(2026, 9, 1), status="completed",
                  completed=date(2026, 9, 2), outcomes=("Accommodation found",))  # fmt: skip
        episode = jcw_episode(world, extra)
        contact = jcw_contact(world, episode, on=date(2026, 8, 5), kind="direct",
                              activities=("letter", "referral"), session=1)  # fmt: skip
        jcw_feedback(episode, contact, given=date(2026, 8, 6), ratings=(5, 5, 5, 5, 5, 3, 5))
        override = PathwayOverride.objects.create(
            person=extra, reason="Synthetic", criteria_met_count=2, marked_by=pa
        )
        _set(PathwayOverride, override.pk, marked_at=at(date(2026, 8, 1)))
