"""Eighteen months of synthetic history for the outcomes pages. Every name, CRN and date is made up.

Sixteen people heard at panel over that time in the East of England, and for most of them
a few people alike on paper who were never referred; monthly extracts from eighteen months ago
(the other demo steps import the latest three), in which heard people more often stop meeting
criteria 7 and 3 and comparison people more often go back to custody, so the pages have
something to show. Two heard cases have no match on purpose: one brought on below the
threshold, one whose profile nobody else has.

Written straight to the tables, unlike the other demo steps: the services refuse what a
history needs (an extract older than the newest imported, ADR 0018; a referral, hearing and
follow-up all months ago). Nothing here is logged in the access log, as nothing here is real.
"""

import hashlib
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.services import case_reference
from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.screening.extract import FLAG_COLUMNS
from complexcases.screening.models import (
    Extract,
    MonthlyList,
    MonthlyListEntry,
    PathwayOverride,
    Screening,
)
from panel.models import (
    EarlyOutcome,
    FollowUp,
    PanelAction,
    PanelBooking,
    PanelMinutes,
    PanelMinutesVersion,
    PanelSession,
    PanelSlot,
    PathwayClosure,
)
from triage.models import Theme, TriageBlocker, TriageMeeting, TriageRecord, TriageRequest

from .services import outcomes_refresh

MONTHS = 19  # this month and the eighteen before it
FIRST_NUMBER = 300001  # CRNs Y300001 onwards (the screening demo's are 200001 to 200320)
SURNAMES = ["Ashworth", "Bello", "Carver", "Dunmore", "Elwood", "Farrant", "Gorman", "Hale", "Ibbot",
            "Jessop", "Kerrigan", "Lomax", "Marlow", "Northey", "Oakes", "Pryce", "Quayle", "Rowntree"]  # fmt: skip
FORENAMES = ["Alex", "Bailey", "Casey", "Drew", "Eden", "Frankie", "Glen", "Harley", "Jamie", "Kit"]
# (criteria at the hearing, ROSH level, comparison people like them)
PROFILES = [
    ({1, 2, 3, 6, 7, 4}, "high", 4),
    ({1, 2, 3, 4, 5, 6, 7}, "very_high", 4),
    ({1, 2, 3, 5, 6, 7}, "high", 4),
    ({1, 2, 3, 4, 6, 7, 8}, "high", 3),
]
UNIQUE = ({1, 2, 3, 4, 5, 6, 7, 8}, "very_high", 0)  # no one else like them: no match
BELOW = ({2, 3, 6, 7}, "medium", 0)  # marked for the pathway below the threshold
THEMES = [("Housing or approved premises", "Mental health"), ("Substance misuse",),
          ("Violence or hostility towards staff", "Mental health"), ("Gender identity", "Housing or approved premises")]  # fmt: skip


def _months(today: date) -> list[date]:
    month, months = today.replace(day=1), []
    for _ in range(MONTHS):
        months.insert(0, month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def values_for(criteria: set[int], rosh: str) -> dict:
    """Extract source values that meet exactly these criteria."""
    values = dict.fromkeys(FLAG_COLUMNS, False)
    values.update(
        rosh_level=rosh if 1 in criteria else rosh if rosh in ("low", "medium") else "medium",
        reg_mental_health_issues=2 in criteria,
        reg_suicide_self_harm=3 in criteria,
        oasys_4_8_learning_difficulties=1 if 4 in criteria else 0,
        mappa_level=2 if 5 in criteria else None,
        mappa_category=1 if 5 in criteria else None,
        opd_screened_in=6 in criteria,
        oasys_alcohol_need=7 in criteria,
        sentence_type="IPP" if 8 in criteria else "SDS",
    )
    return values


class History:
    """Each person's criteria month by month (None: not in that month's extract), then rows."""

    def __init__(self, months: list[date], extracts: dict):
        self.months, self.extracts = months, extracts
        self.people: list[tuple[Person, list]] = []

    def add(self, person: Person, states: list) -> None:
        self.people.append((person, states))

    def write_screenings(self) -> dict:
        """Versions (ADR 0018): a row when a person's criteria change, closed by the next."""
        in_force = {}
        for person, states in self.people:
            start = None
            for index, state in enumerate([*states, "end"]):
                if start is not None and (state == "end" or state != states[start]):
                    criteria, rosh = states[start]
                    until = self.months[index] if state != "end" else None
                    screening = Screening.objects.create(
                        person=person, extract=self.extracts[self.months[start]], as_at=self.months[start],
                        until=until, pdu=person.pdu, criteria_met=sorted(criteria),
                        criteria_met_count=len(criteria), **values_for(criteria, rosh),
                    )  # fmt: skip
                    for month in self.months[start:index]:
                        in_force[(person.pk, month)] = screening
                    start = None
                if state not in (None, "end") and start is None:
                    start = index
        return in_force

    def write_lists(self, in_force: dict, pdus) -> None:
        """These people's monthly list entries, by the list's rule (new, again, no longer)."""
        previous: set = set()
        for month in self.months:
            lists = {
                pdu.pk: MonthlyList.objects.get_or_create(
                    month=month, pdu=pdu, defaults={"extract": self.extracts[month], "threshold": 6}
                )[0]
                for pdu in pdus
            }
            listed, entries = set(), []
            for person, _states in self.people:
                screening = in_force.get((person.pk, month))
                if screening is not None and screening.criteria_met_count >= 6:
                    listed.add(person.pk)
                    status = "listed_again" if person.pk in previous else "new"
                elif person.pk in previous:
                    status = "no_longer_listed"
                else:
                    continue
                entries.append(MonthlyListEntry(monthly_list=lists[person.pdu_id], person=person,
                                                screening=screening, status=status))  # fmt: skip
            MonthlyListEntry.objects.bulk_create(entries)
            previous = listed


def _twin_states(criteria: set, rosh: str, hearing_month: int, months: int, rng) -> list:
    """Someone like a heard person at their hearing: most stay as they were, some gain a
    criterion later (never to eight, the unique profile), some lose one."""
    draw, changed_at = rng.random(), rng.randrange(hearing_month + 1, months)
    later = set(criteria)
    if draw < 0.2 and len(criteria) < 7:
        later.add(next(c for c in (4, 8, 5) if c not in criteria))
    elif draw < 0.45:
        later.discard(7)
    return [(frozenset(later if m >= changed_at else criteria), rosh) for m in range(months)]


def _person(number: int, pdu, practitioner, first: date, rng) -> Person:
    return Person.objects.create(
        crn=f"Y{number:06d}", surname=rng.choice(SURNAMES), forenames=rng.choice(FORENAMES),
        date_of_birth=date(1970 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 28)),
        pdu=pdu, practitioner=practitioner, custody_status="community", as_at=first,
    )  # fmt: skip


def _back_in_custody(person: Person, on: date, last: date) -> None:
    """The extract of `on` shows them in custody: a record-history row with that as-at date."""
    person.custody_status, person.as_at = "custody", on
    person.save()
    person.as_at = last
    person.save(update_fields=["as_at"])


def _heard(person, *, heard_on: date, themes, staff: dict, below: bool, rng) -> None:
    """Request, triage meeting, referral, hearing, minutes, actions, a check-in and closure."""
    requested, met = heard_on - timedelta(days=42), heard_on - timedelta(days=34)
    case = Case.objects.create(person=person, reference=f"DEMO-{person.crn}", opened_at=_at(requested, 9),
                               status_changed_at=_at(heard_on + timedelta(days=70)), status="closed",
                               closed_at=_at(heard_on + timedelta(days=70)), closed_reason="pathway_closed")  # fmt: skip
    Case.objects.filter(pk=case.pk).update(reference=case_reference(case.pk, case.opened_at))
    if below:
        marked = PathwayOverride.objects.create(person=person, reason="Gender identity and housing keep this case stuck. (Demo.)",
                                                criteria_met_count=4, marked_by=person.practitioner)  # fmt: skip
        PathwayOverride.objects.filter(pk=marked.pk).update(
            marked_at=_at(requested - timedelta(days=3))
        )
    request = TriageRequest.objects.create(
        person=person, case=case, requested_by=person.practitioner, requester_role="practitioner",
        blockers="Accommodation keeps failing and engagement has broken down. (Demo.)",
        tried="Approved premises referrals and joint visits. (Demo.)", support_sought="Senior help. (Demo.)",
        below_threshold_reason="Marked for the pathway below the threshold. (Demo.)" if below else "",
        status="outcome_recorded", assigned_to=staff["manager"],
    )  # fmt: skip
    TriageRequest.objects.filter(pk=request.pk).update(requested_at=_at(requested, 9))
    TriageMeeting.objects.create(
        request=request, starts_at=_at(met, 14), scheduled_by=staff["manager"]
    )
    record = TriageRecord.objects.create(request=request, guidance="Escalate accommodation. (Demo.)", outcome="refer_to_panel",
                                         panel_ask="Unblock accommodation and mental health support. (Demo.)",
                                         recorded_by=staff["manager"])  # fmt: skip
    TriageRecord.objects.filter(pk=record.pk).update(recorded_at=_at(met, 16))
    blocker = TriageBlocker.objects.create(
        record=record, description="No stable accommodation (demo)"
    )
    blocker.themes.set(Theme.objects.filter(name__in=themes))
    session = PanelSession.objects.create(
        region=person.pdu.region, starts_at=_at(heard_on), created_by=staff["admin"]
    )
    slot = PanelSlot.objects.create(session=session, position=1, starts_at=_at(heard_on))
    booking = PanelBooking.objects.create(slot=slot, person=person, triage_record=record, case=case, status="heard",
                                          booked_by=staff["admin"])  # fmt: skip
    minutes = PanelMinutes.objects.create(booking=booking, status="final", mappa_reminder_given=True, version=1,
                                          case_overview="Accommodation and mental health blockers. (Demo.)",
                                          chair_summary="Two actions agreed; follow-up in four weeks. (Demo.)",
                                          updated_by=staff["admin"], finalised_at=_at(heard_on, 15))  # fmt: skip
    PanelMinutesVersion.objects.create(minutes=minutes, number=1, content={"chair_summary": minutes.chair_summary},
                                       attendance=[], finalised_by=staff["admin"])  # fmt: skip
    for days, late in ((14, rng.random() < 0.3), (28, rng.random() < 0.2)):
        due = heard_on + timedelta(days=days)
        PanelAction.objects.create(booking=booking, person=person, description="Confirm an approved premises place. (Demo.)",
                                   owner=person.practitioner, agreed_on=heard_on, due_date=due, status="done",
                                   outcome_note="Done. (Demo.)", closed_at=_at(due + timedelta(days=7 if late else -2)),
                                   created_by=staff["admin"])  # fmt: skip
    follow_up = FollowUp.objects.create(booking=booking, person=person, number=1, qdo=staff["qdo"],
                                        due_on=heard_on + timedelta(days=28), status="completed", wellbeing="managing",
                                        further_support="none", held_on=heard_on + timedelta(days=29),
                                        completed_at=_at(heard_on + timedelta(days=29)), completed_by=staff["qdo"],
                                        developments="Housing held. (Demo.)")  # fmt: skip
    follow_up.early_outcomes.set(rng.sample(list(EarlyOutcome.objects.all()), 2))
    PathwayClosure.objects.create(person=person, case=case, booking=booking, reason="Actions done. (Demo.)",
                                  closed_by=staff["manager"])  # fmt: skip


def demo_outcomes_load() -> dict:
    """Make the history once (nothing when its people exist), then refresh the figures."""
    made = _history_make()
    outcomes_refresh()
    return made


def _heard_states(index: int, criteria: set, rosh: str, hearing_month: int, months: int) -> list:
    """A heard person month by month: two in three no longer need help with substances two
    extracts after their hearing's, one in three stop being at risk of self-harm two later,
    and one leaves the extract five after."""
    states = []
    for m in range(months):
        after = m - hearing_month  # whole extracts after the hearing's month
        now = set(criteria)
        if index % 3 != 2 and after >= 2:
            now.discard(7)
        if index % 3 == 0 and after >= 4:
            now.discard(3)
        states.append(None if index == 5 and after >= 5 else (frozenset(now), rosh))
    return states


def _extracts(months: list[date]) -> tuple[dict, int]:
    """An extract for each month (the screening demo imported the latest three)."""
    extracts, made = {}, 0
    for month in months:
        extracts[month], created = Extract.objects.get_or_create(
            extract_date=month,
            defaults={"sha256": hashlib.sha256(f"demo history {month}".encode()).hexdigest(),
                      "filename": f"demo-history-{month:%Y-%m}.csv", "row_count": 0},
        )  # fmt: skip
        made += created
    return extracts, made


def _practitioners(pdus) -> dict:
    """Three practitioners per PDU from the demo extracts (not the demo practitioner's caseload,
    which the triage and panel demos use)."""
    return {
        pdu.pk: list(User.objects.filter(pdu=pdu, groups__name=Role.PROBATION_PRACTITIONER)
                     .exclude(email="practitioner@example.com").order_by("staff_code")[:3])
        for pdu in pdus
    }  # fmt: skip


@transaction.atomic
def _history_make() -> dict:
    rng = random.Random(20261207)
    staff = {
        role: User.objects.filter(email=f"{address}@example.com").first()
        for role, address in (
            ("manager", "programme.manager"),
            ("admin", "case.admin"),
            ("qdo", "qdo"),
        )
    }
    pdus = list(ProbationDeliveryUnit.objects.filter(region__code="EOE").order_by("code"))
    practitioners = _practitioners(pdus)
    if (
        Person.objects.filter(crn=f"Y{FIRST_NUMBER:06d}").exists()
        or None in staff.values()
        or not pdus
        or not all(practitioners.values())
    ):
        return {"heard": 0, "extracts": 0}
    months = _months(timezone.localdate())
    extracts, made = _extracts(months)
    history = History(months, extracts)
    number, heard = FIRST_NUMBER, []
    for index in range(16):
        pdu = pdus[index % len(pdus)]
        profile = {14: UNIQUE, 15: BELOW}.get(index, PROFILES[index % len(PROFILES)])
        criteria, rosh, twins = profile
        hearing_month = index  # months[0] to months[15]: the first six have a year after them
        person = _person(number, pdu, rng.choice(practitioners[pdu.pk]), months[0], rng)
        number += 1
        history.add(person, _heard_states(index, criteria, rosh, hearing_month, len(months)))
        heard.append(
            (person, months[hearing_month] + timedelta(days=8 + index % 12), index, profile)
        )
        if index == 4:
            _back_in_custody(person, months[hearing_month + 5], months[-1])
        for _ in range(twins):
            twin_pdu = rng.choice(pdus)
            twin = _person(number, twin_pdu, rng.choice(practitioners[twin_pdu.pk]), months[0], rng)
            number += 1
            history.add(twin, _twin_states(criteria, rosh, hearing_month, len(months), rng))
            if rng.random() < 0.3:
                _back_in_custody(
                    twin, months[rng.randrange(hearing_month + 1, len(months))], months[-1]
                )
    for person, _states in history.people:
        if person.as_at != months[-1]:
            person.as_at = months[-1]
            person.save(update_fields=["as_at"])
    history.write_lists(history.write_screenings(), pdus)
    for person, heard_on, index, profile in heard:
        _heard(person, heard_on=heard_on, themes=THEMES[index % len(THEMES)], staff=staff,
               below=profile is BELOW, rng=rng)  # fmt: skip
    return {"heard": len(heard), "extracts": made}
