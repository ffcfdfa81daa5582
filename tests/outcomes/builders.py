"""A hand-countable world for the outcomes figures: people whose later extracts differ in known
ways, some heard at panel, some like them and never referred, some with no match. Every
detail is made up; every figure in test_refresh.py is worked out from the table below.

Extracts on the 1st of January to August 2026 ("today" is 15 August 2026). Threshold 6.

| who | PDU | at the hearing (criteria, ROSH) | later | pathway |
|-----|-----|---------------------------------|-------|---------|
| H1 | A (EOE) | 1,2,3,5,6,7 high (6) | from 1 March 1,2,3,5,6 (5) | heard 15 January |
| H2 | B (EOE) | 1,2,3,4,6,7 high (6) | in custody from 1 April | heard 20 January |
| H3 | A (EOE) | 1-7 very high (7) | not in the extract from 1 May | heard 10 February |
| H4 | L (London) | 1,2,3,5,6,7 high (6) | — | heard 10 January: no one alike |
| H5 | A (EOE) | 2,3,6,7 medium (4) | — | marked below the threshold 2 January, heard 25 January |
| H6 | B (EOE) | not in the extract until 1 March | 1-6 high (6) | heard 5 February: not in the extract |
| C1 | A (EOE) | 1,2,3,4,6,7 high (6) | — | never referred |
| C2 | B (EOE) | 1,2,3,5,6,7 high (6) | from 1 March also 8 (7) | never referred |
| C3 | A (EOE) | 1,2,3,6,7,8 high (6) | in custody from 1 February | never referred |
| C4 | A (EOE) | 1,2,3,4,6,7 high (6) | — | triage, closed with guidance: not a comparison |
| C5 | B (EOE) | 2,3,4,5,6,7 medium (6) | — | another ROSH level: not a match |
| C6 | B (EOE) | 1-7 very high (7) | — | never referred |
| C7 | A (EOE) | 1,2,3,4,5,6,8 very high (7) | from 1 April 1-6 (6) | never referred |
| C8 | L (London) | 1-7 high (7) | — | never referred; seven criteria, not six |
| N1 | A (EOE) | 1,2 low (2) | — | never listed |
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count

from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.organisation.roles import Role
from complexcases.outcomes.demo import values_for
from complexcases.people.models import Person
from complexcases.screening.models import Extract, PathwayOverride, Screening
from panel.models import EarlyOutcome, FollowUp, PanelAction, PanelBooking, PanelSession, PanelSlot
from panel.reference import early_outcomes_ensure_defaults
from tests.factories import ProbationDeliveryUnitFactory, RegionFactory, UserFactory
from triage.models import Theme, TriageBlocker, TriageRecord, TriageRequest
from triage.reference import themes_ensure_defaults

TODAY = date(2026, 8, 15)
EXTRACTS = [date(2026, month, 1) for month in range(1, 9)]
ALL = "all"
_crn = count(500001)
_case = count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class World:
    pdus: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    bookings: dict = field(default_factory=dict)
    admin: object = None
    practitioner: dict = field(default_factory=dict)


def person(world: World, name: str, pdu: str, *, first: date = EXTRACTS[0]) -> Person:
    made = Person.objects.create(
        crn=f"T{next(_crn):06d}",
        surname=f"Example{name}",
        forenames="Test",
        date_of_birth=date(1980, 1, 1),
        pdu=world.pdus[pdu],
        practitioner=world.practitioner[pdu],
        custody_status="community",
        as_at=first,
    )
    world.people[name] = made
    return made


def in_custody_from(who: Person, day: date) -> None:
    """The extract as at `day` shows them in custody (a record-history row with that as-at date)."""
    who.custody_status, who.as_at = "custody", day
    who.save()


def versions(
    who: Person, changes: list[tuple[date, set, str]], *, leaves: date | None = None
) -> None:
    """Screening versions (ADR 0018): each change starts one, in force until the next."""
    ends = [day for day, _criteria, _rosh in changes[1:]] + [leaves]
    for (day, criteria, rosh), until in zip(changes, ends, strict=True):
        Screening.objects.create(
            person=who,
            extract=Extract.objects.get(extract_date=day),
            as_at=day,
            until=until,
            pdu=who.pdu,
            criteria_met=sorted(criteria),
            criteria_met_count=len(criteria),
            **values_for(criteria, rosh),
        )


def _case_for(who: Person, opened: date, status: str = "closed") -> Case:
    case = Case(
        person=who,
        opened_at=at(opened, 9),
        status_changed_at=at(opened, 9),
        reference=f"CC-TEST-{next(_case):05d}",
        status=status,
    )
    if status == "closed":
        case.closed_at, case.closed_reason = at(opened + timedelta(days=100), 17), "pathway_closed"
    case.save()
    return case


def request(world: World, who: Person, *, on: date, outcome: str, themes=(), below=False):
    """A triage request on `on`, its outcome recorded three days later."""
    made = TriageRequest.objects.create(
        case=_case_for(who, on, "closed"),
        person=who,
        requested_by=who.practitioner,
        requester_role="practitioner",
        blockers="Synthetic",
        tried="Synthetic",
        support_sought="Synthetic",
        below_threshold_reason="Synthetic reason" if below else "",
        status="outcome_recorded",
    )
    TriageRequest.objects.filter(pk=made.pk).update(requested_at=at(on, 9))
    record = TriageRecord.objects.create(
        request=made,
        guidance="Synthetic",
        outcome=outcome,
        panel_ask="Synthetic" if outcome == "refer_to_panel" else "",
        recorded_by=world.admin,
    )
    TriageRecord.objects.filter(pk=record.pk).update(recorded_at=at(on + timedelta(days=3), 16))
    blocker = TriageBlocker.objects.create(record=record, description="Synthetic")
    blocker.themes.set(Theme.objects.filter(name__in=themes))
    return made, record


def heard(world: World, who: Person, *, on: date, themes=("Mental health",), below=False):
    """Requested a week before, referred, heard on `on`."""
    made, record = request(
        world, who, on=on - timedelta(days=7), outcome="refer_to_panel", themes=themes, below=below
    )
    session = PanelSession.objects.create(region=who.pdu.region, starts_at=at(on))
    slot = PanelSlot.objects.create(session=session, position=1, starts_at=at(on))
    booking = PanelBooking.objects.create(
        slot=slot,
        person=who,
        triage_record=record,
        case=made.case,
        status="heard",
        booked_by=world.admin,
    )
    world.bookings[who.surname.removeprefix("Example")] = booking
    return booking


def build_world() -> World:
    """The table in this module's docstring."""
    themes_ensure_defaults()
    early_outcomes_ensure_defaults()
    world = World()
    east = RegionFactory(code="EOE", name="East of England")
    london = RegionFactory(code="LDN", name="London")
    world.pdus = {
        "A": ProbationDeliveryUnitFactory(code="PDUA", name="Alpha", region=east),
        "B": ProbationDeliveryUnitFactory(code="PDUB", name="Bravo", region=east),
        "L": ProbationDeliveryUnitFactory(code="PDUL", name="Lima", region=london),
    }
    world.practitioner = {
        code: UserFactory(pdu=pdu, roles=[Role.PROBATION_PRACTITIONER])
        for code, pdu in world.pdus.items()
    }
    world.admin = UserFactory(roles=[Role.CASE_ADMINISTRATOR])
    for day in EXTRACTS:
        Extract.objects.create(extract_date=day, sha256="0" * 64, filename="x.csv", row_count=1)
    jan, feb, mar, apr, may = EXTRACTS[:5]
    six, seven = {1, 2, 3, 5, 6, 7}, {1, 2, 3, 4, 5, 6, 7}

    versions(person(world, "H1", "A"), [(jan, six, "high"), (mar, {1, 2, 3, 5, 6}, "high")])
    versions(person(world, "H2", "B"), [(jan, {1, 2, 3, 4, 6, 7}, "high")])
    in_custody_from(world.people["H2"], apr)
    versions(person(world, "H3", "A"), [(jan, seven, "very_high")], leaves=may)
    versions(person(world, "H4", "L"), [(jan, six, "high")])
    versions(person(world, "H5", "A"), [(jan, {2, 3, 6, 7}, "medium")])
    versions(person(world, "H6", "B", first=mar), [(mar, {1, 2, 3, 4, 5, 6}, "high")])
    versions(person(world, "C1", "A"), [(jan, {1, 2, 3, 4, 6, 7}, "high")])
    versions(person(world, "C2", "B"), [(jan, six, "high"), (mar, six | {8}, "high")])
    versions(person(world, "C3", "A"), [(jan, {1, 2, 3, 6, 7, 8}, "high")])
    in_custody_from(world.people["C3"], feb)
    versions(person(world, "C4", "A"), [(jan, {1, 2, 3, 4, 6, 7}, "high")])
    versions(person(world, "C5", "B"), [(jan, {2, 3, 4, 5, 6, 7}, "medium")])
    versions(person(world, "C6", "B"), [(jan, seven, "very_high")])
    versions(
        person(world, "C7", "A"),
        [(jan, {1, 2, 3, 4, 5, 6, 8}, "very_high"), (apr, {1, 2, 3, 4, 5, 6}, "very_high")],
    )
    versions(person(world, "C8", "L"), [(jan, seven, "high")])
    versions(person(world, "N1", "A"), [(jan, {1, 2}, "low")])

    p = world.people
    heard(
        world,
        p["H1"],
        on=date(2026, 1, 15),
        themes=("Mental health", "Housing or approved premises"),
    )
    heard(world, p["H2"], on=date(2026, 1, 20), themes=("Mental health",))
    heard(world, p["H3"], on=date(2026, 2, 10), themes=("Housing or approved premises",))
    heard(world, p["H4"], on=date(2026, 1, 10))
    marked = PathwayOverride.objects.create(
        person=p["H5"], reason="Synthetic", criteria_met_count=4, marked_by=p["H5"].practitioner
    )
    PathwayOverride.objects.filter(pk=marked.pk).update(marked_at=at(date(2026, 1, 2)))
    heard(world, p["H5"], on=date(2026, 1, 25), below=True)  # requested 18 January
    heard(world, p["H6"], on=date(2026, 2, 5))
    request(world, p["C4"], on=date(2026, 2, 2), outcome="closed_with_guidance")
    _after_the_panel(world)
    return world


def _after_the_panel(world: World) -> None:
    """H1: two actions (one on time, one late) and a check-in with two early outcomes; H2: an
    action not done yet (due before today) and one no longer needed."""
    b1, b2 = world.bookings["H1"], world.bookings["H2"]
    for booking, due, status, closed in (
        (b1, date(2026, 2, 1), "done", date(2026, 1, 30)),
        (b1, date(2026, 2, 10), "done", date(2026, 2, 20)),
        (b2, date(2026, 3, 1), "open", None),
        (b2, date(2026, 3, 5), "not_needed", date(2026, 2, 1)),
        (b2, date(2026, 9, 1), "open", None),  # due after today: not counted yet
    ):
        PanelAction.objects.create(
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
    check_in = FollowUp.objects.create(
        booking=b1,
        person=b1.person,
        number=1,
        due_on=date(2026, 2, 12),
        status="completed",
        wellbeing="managing",
        further_support="none",
        held_on=date(2026, 2, 12),
        completed_at=at(date(2026, 2, 12)),
    )
    check_in.early_outcomes.set(EarlyOutcome.objects.order_by("position")[:2])
    FollowUp.objects.create(booking=b2, person=b2.person, number=1, due_on=date(2026, 2, 17))


def grow(world) -> None:
    """Four more heard cases like H1 and H2 (six criteria, high ROSH, East of England, January),
    so the national difference rests on enough cases to be shown with an interval. G1 stops
    meeting criterion 7 in March (five criteria: not listed a month after); G3 in April."""
    jan = EXTRACTS[0]
    six = {1, 2, 3, 4, 6, 7}
    for number, (pdu, drop) in enumerate(
        (("A", EXTRACTS[2]), ("B", None), ("A", EXTRACTS[3]), ("B", None)), start=1
    ):
        who = person(world, f"G{number}", pdu)
        versions(who, [(jan, six, "high")] + ([(drop, six - {7}, "high")] if drop else []))
        heard(world, who, on=date(2026, 1, 10 + 4 * number))
