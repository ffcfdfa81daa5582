"""Reads for reporting: every figure on the dashboard and the monthly report, computed in the
database (ADR 0017), and the learning log.

Each figure is one aggregate query (conditional counts, TruncMonth groups, percentile_cont for
medians), with at most one more small query for its reference rows (themes, activity types,
PDU names), so the number of queries is the same whatever the number of people, requests or
panels. Figures never carry a name or CRN.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.screening.models import MonthlyListEntry, PathwayOverride
from complexcases.screening.rules import CRITERIA
from jcw.models import ActivityType, JcwContact, JcwContactActivity, JcwFeedback
from jcw.reference import RATING_STATEMENTS
from panel.models import EarlyOutcome, FollowUp, PanelAction, PanelBooking, PanelInvitee
from triage.models import Theme, TriageBlocker, TriageRecord, TriageRequest

from .figures import AVERAGE, DAYS, PERCENT, BigNumber, Figure, Measure, Row
from .models import LearningEntry
from .periods import Period
from .scope import Scope

Entry = MonthlyListEntry.Status
LISTED = [Entry.NEW, Entry.LISTED_AGAIN]
MET = [TriageRequest.Status.HELD, TriageRequest.Status.OUTCOME_RECORDED]


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, worked out in the database."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """Whole calendar days (Europe/London) from `start` to `end`, never negative.

    The services keep time running forwards (a triage meeting starts after its request, ADR
    0041); rows written before that rule, like the old demo's meeting dated before its
    request, count as the same day rather than pulling a median below zero.
    """

    template = "GREATEST(%(expressions)s, 0)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(TruncDate(end), TruncDate(start))


def _in(path: str, period: Period) -> Q:
    """A datetime field within the period."""
    return Q(**{f"{path}__gte": period.start_at, f"{path}__lt": period.end_at})


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    trend_period: Period
    headlines: list[BigNumber] = field(default_factory=list)
    trends: list[Figure] = field(default_factory=list)
    distributions: list[Figure] = field(default_factory=list)
    headline_figure: Figure | None = None

    @property
    def figures(self) -> list[Figure]:
        return [self.headline_figure, *self.trends, *self.distributions]

    def figure(self, slug: str) -> Figure | None:
        return next((f for f in self.figures if f.slug == slug), None)


# The monthly list ---------------------------------------------------------------------------


def listing_this_month(*, scope: Scope, month: date) -> dict:
    """People listed in the month, new, with a reflective conversation, each criterion met and
    how many criteria: one aggregate over the month's list."""
    measures = {
        "listed": Count("pk"),
        "new": Count("pk", filter=Q(status=Entry.NEW)),
        "conversations": Count("reflective_conversation"),
    }
    for criterion in CRITERIA:
        measures[f"criterion_{criterion.number}"] = Count(
            "pk", filter=Q(screening__criteria_met__contains=[criterion.number])
        )
    for number in range(len(CRITERIA) + 1):
        measures[f"count_{number}"] = Count("pk", filter=Q(screening__criteria_met_count=number))
    return (
        MonthlyListEntry.objects.filter(monthly_list__month=month, status__in=LISTED)
        .filter(scope.q(pdu="monthly_list__pdu", practitioner="person__practitioner"))
        .aggregate(**measures)
    )


def listed_by_month_and_pdu(*, scope: Scope, period: Period) -> list[dict]:
    """People listed (and new) per month per PDU: one grouped query, and one for the PDUs' names.

    Grouped by the list's own columns (month, PDU id) so PostgreSQL aggregates the entries
    before anything else is joined; the names of the (at most 110) PDUs come after.
    """
    rows = list(
        MonthlyListEntry.objects.filter(
            monthly_list__month__gte=period.start,
            monthly_list__month__lt=period.end,
            status__in=LISTED,
        )
        .filter(scope.q(pdu="monthly_list__pdu", practitioner="person__practitioner"))
        .values("monthly_list__month", "monthly_list__pdu_id")
        .annotate(listed=Count("pk"), new=Count("pk", filter=Q(status=Entry.NEW)))
        .order_by()
    )
    names = dict(
        ProbationDeliveryUnit.objects.filter(
            pk__in={row["monthly_list__pdu_id"] for row in rows}
        ).values_list("pk", "name")
    )
    for row in rows:
        row["monthly_list__pdu__name"] = names[row.pop("monthly_list__pdu_id")]
    rows.sort(key=lambda row: (row["monthly_list__month"], row["monthly_list__pdu__name"]))
    return rows


# Triage ---------------------------------------------------------------------------------------


def requests_by_month(*, scope: Scope, period: Period) -> dict[date, dict]:
    """Triage requests per month made, those below the threshold, and the median days to the meeting."""
    met = Q(status__in=MET, meeting__isnull=False)
    rows = (
        TriageRequest.objects.filter(_in("requested_at", period))
        .filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))
        .annotate(month=TruncMonth("requested_at", output_field=DateField()))
        .values("month")
        .annotate(
            requests=Count("pk"),
            below=Count("pk", filter=~Q(below_threshold_reason="")),
            triaged=Count("pk", filter=met),
            median=Median(DaysBetween(F("meeting__starts_at"), F("requested_at")), filter=met),
        )
        .order_by("month")
    )
    return {row["month"]: row for row in rows}


def heard_by_month(*, scope: Scope, period: Period) -> dict[date, dict]:
    """Cases heard at panel per month, and the median days from the triage meeting to the panel."""
    triaged = Q(triage_record__request__meeting__isnull=False)
    rows = (
        PanelBooking.objects.filter(
            _in("slot__starts_at", period), status=PanelBooking.Status.HEARD
        )
        .filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))
        .annotate(month=TruncMonth("slot__starts_at", output_field=DateField()))
        .values("month")
        .annotate(
            heard=Count("pk"),
            triaged=Count("pk", filter=triaged),
            median=Median(
                DaysBetween(F("slot__starts_at"), F("triage_record__request__meeting__starts_at")),
                filter=triaged,
            ),
        )
        .order_by("month")
    )
    return {row["month"]: row for row in rows}


def triage_outcomes(*, scope: Scope, period: Period) -> dict:
    Outcome, RedirectTo = TriageRecord.Outcome, TriageRecord.RedirectTo
    measures = {
        Outcome.CLOSED_WITH_GUIDANCE.value: Count(
            "pk", filter=Q(outcome=Outcome.CLOSED_WITH_GUIDANCE)
        ),
        Outcome.REFER_TO_PANEL.value: Count("pk", filter=Q(outcome=Outcome.REFER_TO_PANEL)),
    }
    for where in RedirectTo:
        measures[f"redirect_{where.value}"] = Count(
            "pk", filter=Q(outcome=Outcome.REDIRECT, redirect_to=where)
        )
    return (
        TriageRecord.objects.filter(_in("recorded_at", period))
        .filter(scope.q(pdu="request__person__pdu", practitioner="request__person__practitioner"))
        .aggregate(**measures)
    )


def blocker_themes(*, scope: Scope, period: Period) -> list[Theme]:
    """Each theme with the triaged cases (records, not blockers) it was a blocker in, and how
    many of those were below the threshold.

    Counted from the blockers' side, with the period and scope in the WHERE clause (so only
    the period's records are joined, and a PDU's through the people index), grouped by theme
    id; the themes themselves are a second, tiny query.
    """
    Tagged = TriageBlocker.themes.through
    record = "triageblocker__record"
    counts = {
        row["theme_id"]: row
        for row in Tagged.objects.filter(_in(f"{record}__recorded_at", period))
        .filter(
            scope.q(
                pdu=f"{record}__request__person__pdu",
                practitioner=f"{record}__request__person__practitioner",
            )
        )
        .values("theme_id")
        .annotate(
            cases=Count(f"{record}_id", distinct=True),
            below=Count(
                f"{record}_id",
                distinct=True,
                filter=~Q(**{f"{record}__request__below_threshold_reason": ""}),
            ),
        )
        .order_by()
    }
    return _with_counts(Theme.objects.order_by("position", "name"), counts, ("cases", "below"))


def overrides(*, scope: Scope, period: Period) -> dict:
    """People marked for the pathway below the threshold, by how many criteria they met then."""
    measures = {"marked": Count("pk"), "unknown": Count("pk", filter=Q(criteria_met_count=None))}
    for number in range(len(CRITERIA) + 1):
        measures[f"count_{number}"] = Count("pk", filter=Q(criteria_met_count=number))
    return (
        PathwayOverride.objects.filter(_in("marked_at", period))
        .filter(scope.q(pdu="person__pdu", practitioner="person__practitioner"))
        .aggregate(**measures)
    )


# Panel, actions and follow-up -------------------------------------------------------------------


def actions_summary(*, scope: Scope, period: Period, today: date) -> dict:
    """Open and overdue actions now; of the actions due in the period (up to today, not those
    no longer needed), how many were done by their due date, done late, or are not done yet."""
    Status = PanelAction.Status
    # Due in the period and by today (an action due later has not had its chance yet).
    due = Q(due_date__gte=period.start, due_date__lt=period.end, due_date__lte=today) & ~Q(
        status=Status.NOT_NEEDED
    )
    done = due & Q(status=Status.DONE)
    return PanelAction.objects.filter(
        scope.q(pdu="person__pdu", practitioner="person__practitioner")
    ).aggregate(
        open=Count("pk", filter=Q(status=Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Status.OPEN, due_date__lt=today)),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=done & Q(closed_at__date__lte=F("due_date"))),
        late=Count("pk", filter=done & Q(closed_at__date__gt=F("due_date"))),
        not_done=Count("pk", filter=due & Q(status=Status.OPEN)),
    )


def attendance_by_role(*, scope: Scope, period: Period) -> list[dict]:
    """Attended, sent a deputy, apologies (and not recorded) per panel seat, for cases heard in the period."""
    Attendance = PanelInvitee.Attendance
    return list(
        PanelInvitee.objects.filter(
            _in("booking__slot__starts_at", period),
            booking__status=PanelBooking.Status.HEARD,
            removed_at__isnull=True,
        )
        .filter(scope.q(pdu="booking__person__pdu", practitioner="booking__person__practitioner"))
        .values("role__name", "role__position")
        .annotate(
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            deputy=Count("pk", filter=Q(attendance=Attendance.DEPUTY)),
            apologies=Count("pk", filter=Q(attendance=Attendance.APOLOGIES)),
            not_recorded=Count("pk", filter=Q(attendance="")),
        )
        .order_by("role__position", "role__name")
    )


def follow_ups_summary(*, scope: Scope, period: Period, today: date) -> dict:
    """Follow-up check-ins due in the period (not cancelled): done, and not done yet (overdue if past)."""
    Status = FollowUp.Status
    due = Q(due_on__gte=period.start, due_on__lt=period.end) & ~Q(status=Status.CANCELLED)
    return FollowUp.objects.filter(
        scope.q(pdu="person__pdu", practitioner="person__practitioner")
    ).aggregate(
        due=Count("pk", filter=due),
        completed=Count("pk", filter=due & Q(status=Status.COMPLETED)),
        scheduled=Count("pk", filter=due & Q(status=Status.SCHEDULED)),
        overdue=Count("pk", filter=due & Q(status=Status.SCHEDULED, due_on__lt=today)),
    )


def early_outcomes(*, scope: Scope, period: Period) -> list[EarlyOutcome]:
    """Each early outcome with the panel cases whose follow-up in the period recorded it."""
    recorded = (
        Q(follow_ups__status=FollowUp.Status.COMPLETED)
        & _in("follow_ups__completed_at", period)
        & scope.q(pdu="follow_ups__person__pdu", practitioner="follow_ups__person__practitioner")
    )
    return list(
        EarlyOutcome.objects.annotate(
            cases=Count("follow_ups__booking", filter=recorded, distinct=True)
        ).order_by("position", "name")
    )


# Joint case work ------------------------------------------------------------------------------


def jcw_contacts(*, scope: Scope, period: Period) -> dict:
    Type = JcwContact.ContactType
    return (
        JcwContact.objects.filter(_in("occurred_at", period))
        .filter(scope.q(pdu="episode__pdu", practitioner="episode__practitioner"))
        .aggregate(
            direct=Count("pk", filter=Q(contact_type=Type.DIRECT)),
            indirect=Count("pk", filter=Q(contact_type=Type.INDIRECT)),
            consultation=Count("pk", filter=Q(contact_type=Type.CONSULTATION)),
        )
    )


def jcw_activity_types(*, scope: Scope, period: Period) -> list[ActivityType]:
    """Each activity type with its direct and indirect contacts (a contact with two types counts
    under each).

    Counted from the contacts' side, the period and scope in the WHERE clause, grouped by
    activity type id; no DISTINCT is needed, as a contact has each activity type at most once
    (the `jcw_contact_activity_once` constraint). The types are a second, tiny query.
    """
    Type = JcwContact.ContactType
    counts = {
        row["activity_type_id"]: row
        for row in JcwContactActivity.objects.filter(
            _in("contact__occurred_at", period),
            contact__contact_type__in=[Type.DIRECT, Type.INDIRECT],
        )
        .filter(scope.q(pdu="contact__episode__pdu", practitioner="contact__episode__practitioner"))
        .values("activity_type_id")
        .annotate(
            direct=Count("pk", filter=Q(contact__contact_type=Type.DIRECT)),
            indirect=Count("pk", filter=Q(contact__contact_type=Type.INDIRECT)),
        )
        .order_by()
    }
    return _with_counts(
        ActivityType.objects.order_by("position", "name"), counts, ("direct", "indirect")
    )


def _with_counts(reference, counts: dict, names: tuple[str, ...]) -> list:
    """Every reference row (themes, activity types), with its counts or 0 where none."""
    rows = list(reference)
    for row in rows:
        found = counts.get(row.pk) or {}
        for name in names:
            setattr(row, name, found.get(name, 0))
    return rows


FEEDBACK_RATINGS = [(name, short) for name, _statement, short in RATING_STATEMENTS] + [
    ("confidence_before", "Confidence working with the person, before"),
    ("confidence_after", "Confidence working with the person, after"),
]


def jcw_feedback(*, scope: Scope, period: Period) -> dict:
    """Practitioner feedback given in the period: the average and the spread of each rating."""
    measures = {"responses": Count("pk")}
    for name, _label in FEEDBACK_RATINGS:
        measures[f"{name}_mean"] = Avg(name)
        for value in range(1, 6):
            measures[f"{name}_{value}"] = Count("pk", filter=Q(**{name: value}))
    return (
        JcwFeedback.objects.filter(_in("given_at", period))
        .filter(scope.q(pdu="episode__pdu", practitioner="episode__practitioner"))
        .aggregate(**measures)
    )


# The dashboard --------------------------------------------------------------------------------


def _month_rows(period: Period, by_month: dict[date, dict], *keys: str) -> list[Row]:
    """One row per month; a month with nothing counts 0 (and a median with nothing is None)."""
    rows = []
    for month in period.months:
        found = by_month.get(month) or {}
        values = []
        for key in keys:
            value = found.get(key)
            values.append(value if value is not None or key == "median" else 0)
        rows.append(Row(f"{month:%B %Y}", tuple(values)))
    return rows


def _sum(by_month: dict[date, dict], months, key: str) -> int:
    return sum((by_month.get(month) or {}).get(key) or 0 for month in months)


def dashboard_figures(
    *, scope: Scope, period: Period, trend_period: Period | None = None, today: date | None = None
) -> Dashboard:
    """Every figure for the scope and period; trends run over `trend_period` (by default the period)."""
    today = today or timezone.localdate()
    trend = trend_period or period
    month = period.last_month
    board = Dashboard(scope=scope, period=period, trend_period=trend)

    listing = listing_this_month(scope=scope, month=month)
    by_pdu = listed_by_month_and_pdu(scope=scope, period=trend)
    requests = requests_by_month(scope=scope, period=trend)
    heard = heard_by_month(scope=scope, period=trend)
    actions = actions_summary(scope=scope, period=period, today=today)
    follow_ups = follow_ups_summary(scope=scope, period=period, today=today)

    requests_in_period = _sum(requests, period.months, "requests")
    heard_in_period = _sum(heard, period.months, "heard")
    conversations_percent = _percent(listing["conversations"], listing["listed"])
    board.headlines = [
        BigNumber("People listed", listing["listed"], detail=f"in {month:%B %Y}"),
        BigNumber("New to the list", listing["new"], detail=f"in {month:%B %Y}"),
        BigNumber(
            "Reflective conversations",
            listing["conversations"],
            detail=(
                f"{round(conversations_percent)}% of people listed in {month:%B %Y}"
                if conversations_percent is not None
                else f"no one listed in {month:%B %Y}"
            ),
        ),
        BigNumber("Triage requests", requests_in_period, detail=period.label),
        BigNumber("Cases heard at panel", heard_in_period, detail=period.label),
        BigNumber("Open actions", actions["open"], detail="now"),
        BigNumber("Overdue actions", actions["overdue"], detail="open past their due date, now"),
        BigNumber(
            "Follow-ups due",
            follow_ups["due"],
            detail=f"{period.label}: {follow_ups['completed']:,} done, {follow_ups['overdue']:,} overdue",
        ),
    ]
    listed = listing["listed"]
    board.headline_figure = Figure(
        slug="headline-figures",
        title="Headline figures",
        description=f"The numbers at the top of the page, for {period.label}.",
        category="Figure",
        measures=[Measure("Number")],
        rows=[
            Row(f"People listed in {month:%B %Y}", (listed,)),
            Row(f"New to the list in {month:%B %Y}", (listing["new"],)),
            Row(
                f"Reflective conversations recorded for people listed in {month:%B %Y}",
                (listing["conversations"],),
            ),
            Row(
                f"Reflective conversations: percent of people listed in {month:%B %Y}",
                (conversations_percent,),
                unit=PERCENT,
                base=listed,
            ),
            Row("Triage requests", (requests_in_period,)),
            Row("Cases heard at panel", (heard_in_period,)),
            Row("Open actions (now)", (actions["open"],)),
            Row("Overdue actions (now)", (actions["overdue"],)),
            Row("Follow-ups due", (follow_ups["due"],)),
            Row("Follow-ups due: done", (follow_ups["completed"],)),
            Row("Follow-ups due: overdue", (follow_ups["overdue"],)),
        ],
    )
    board.trends = _trend_figures(trend, by_pdu, requests, heard)
    board.distributions = _distribution_figures(
        scope=scope, period=period, month=month, listing=listing, requests=requests,
        actions=actions, follow_ups=follow_ups,
    )  # fmt: skip
    for figure in board.trends:
        figure.period = trend.label
    for figure in (board.headline_figure, *board.distributions):
        figure.period = period.label
    return board


def _trend_figures(trend: Period, by_pdu: list[dict], requests, heard) -> list[Figure]:
    totals: dict[date, dict] = {}
    pdus: dict[str, dict[date, int]] = {}
    for row in by_pdu:
        month = row["monthly_list__month"]
        total = totals.setdefault(month, {"listed": 0, "new": 0})
        total["listed"] += row["listed"]
        total["new"] += row["new"]
        pdus.setdefault(row["monthly_list__pdu__name"], {})[month] = row["listed"]
    last = trend.last_month
    return [
        Figure(
            slug="people-listed-by-month",
            title="People listed by month",
            description="People on each month's list (new and listed again), and how many were new that month.",
            category="Month",
            measures=[Measure("People listed"), Measure("New to the list")],
            rows=_month_rows(trend, totals, "listed", "new"),
        ),
        Figure(
            slug="people-listed-per-pdu",
            title="People listed per PDU",
            description="People on each PDU's list, month by month.",
            category="PDU",
            measures=[Measure(f"{month:%b %Y}", charted=month == last) for month in trend.months],
            rows=[
                Row(name, tuple(months.get(month, 0) for month in trend.months))
                for name, months in sorted(pdus.items())
            ],
            note=f"The chart shows {last:%B %Y}; the table has every month.",
        ),
        Figure(
            slug="triage-requests-by-month",
            title="Triage requests by month",
            description="Triage requests made each month, and those for people not on that month's list (below the threshold).",
            category="Month",
            measures=[Measure("Triage requests"), Measure("For people below the threshold")],
            rows=_month_rows(trend, requests, "requests", "below"),
        ),
        Figure(
            slug="days-to-triage",
            title="Median days from request to triage meeting",
            description="For requests whose triage meeting has been held, by the month the request was made: the median number of calendar days from the request to the meeting.",
            category="Month requested",
            measures=[
                Measure("Median days", DAYS, base=1),
                Measure("Requests triaged", charted=False),
            ],
            rows=_month_rows(trend, requests, "median", "triaged"),
        ),
        Figure(
            slug="days-to-panel",
            title="Median days from triage meeting to panel",
            description="For cases heard at panel, by the month of the panel: the median number of calendar days from the triage meeting to the panel.",
            category="Month heard",
            measures=[
                Measure("Median days", DAYS, base=1),
                Measure("Cases heard after a triage meeting", charted=False),
            ],
            rows=_month_rows(trend, heard, "median", "triaged"),
        ),
    ]


def _distribution_figures(
    *, scope, period, month, listing, requests, actions, follow_ups
) -> list[Figure]:
    outcomes = triage_outcomes(scope=scope, period=period)
    themes = blocker_themes(scope=scope, period=period)
    marked = overrides(scope=scope, period=period)
    attendance = attendance_by_role(scope=scope, period=period)
    early = early_outcomes(scope=scope, period=period)
    contacts = jcw_contacts(scope=scope, period=period)
    activities = jcw_activity_types(scope=scope, period=period)
    feedback = jcw_feedback(scope=scope, period=period)
    Outcome, RedirectTo = TriageRecord.Outcome, TriageRecord.RedirectTo
    due = actions["on_time"] + actions["late"] + actions["not_done"]
    below_requests = _sum(requests, period.months, "below")
    return [
        Figure(
            slug="criteria-met",
            title="Criteria met",
            description=f"How many of the people listed in {month:%B %Y} meet each of the eight criteria.",
            category="Criterion",
            measures=[
                Measure("People listed"),
                Measure("Percent of people listed", PERCENT, charted=False),
            ],
            rows=[
                Row(
                    f"{c.number}. {c.name}",
                    (
                        listing[f"criterion_{c.number}"],
                        _percent(listing[f"criterion_{c.number}"], listing["listed"]),
                    ),
                )
                for c in CRITERIA
            ],
        ),
        Figure(
            slug="number-of-criteria-met",
            title="Number of criteria met",
            description=f"People listed in {month:%B %Y} by how many of the eight criteria they meet.",
            category="Criteria met",
            measures=[Measure("People listed")],
            rows=[
                Row(f"{number} of 8", (listing[f"count_{number}"],))
                for number in range(len(CRITERIA) + 1)
                if listing[f"count_{number}"] or number >= 6
            ],
        ),
        Figure(
            slug="triage-outcomes",
            title="Triage outcomes",
            description=f"Outcomes recorded after triage meetings, {period.label}.",
            category="Outcome",
            measures=[Measure("Triage requests")],
            rows=[
                Row(
                    Outcome.CLOSED_WITH_GUIDANCE.label,
                    (outcomes[Outcome.CLOSED_WITH_GUIDANCE.value],),
                ),
                Row(Outcome.REFER_TO_PANEL.label, (outcomes[Outcome.REFER_TO_PANEL.value],)),
                *[
                    Row(f"Redirected: {where.label}", (outcomes[f"redirect_{where.value}"],))
                    for where in RedirectTo
                ],
            ],
        ),
        Figure(
            slug="blocker-themes",
            title="Themes of blockers",
            description=f"Triage meetings recorded {period.label} with a blocker in each theme (a meeting can have several themes).",
            category="Theme",
            measures=[Measure("Triaged cases"), Measure("Of which below the threshold")],
            rows=[
                Row(theme.name, (theme.cases, theme.below))
                for theme in themes
                if theme.disabled_on is None or theme.cases
            ],
        ),
        Figure(
            slug="below-threshold",
            title="Below-threshold referrals",
            description=f"People below the threshold brought onto the pathway, {period.label}: marked for the pathway with a reason, and triage requests for people not on the list. Their blockers' themes are in “Themes of blockers”.",
            category="Referral",
            measures=[Measure("People or requests")],
            rows=[
                Row("Marked for the pathway below the threshold", (marked["marked"],)),
                *[
                    Row(
                        f"Marked for the pathway, meeting {number} of 8 criteria",
                        (marked[f"count_{number}"],),
                    )
                    for number in range(len(CRITERIA) + 1)
                    if marked[f"count_{number}"]
                ],
                Row("Triage requests for people not on the list", (below_requests,)),
            ],
        ),
        Figure(
            slug="actions-on-time",
            title="Actions completed on time",
            description=f"Panel actions due {period.label} (up to today, leaving out those no longer needed): done by their due date, done late, or not done yet.",
            category="Actions due",
            measures=[
                Measure("Actions"),
                Measure("Percent of actions due", PERCENT, base=2, charted=False),
                Measure("Actions due", charted=False),
            ],
            rows=[
                Row("Done on time", (actions["on_time"], _percent(actions["on_time"], due), due)),
                Row("Done late", (actions["late"], _percent(actions["late"], due), due)),
                Row("Not done yet", (actions["not_done"], _percent(actions["not_done"], due), due)),
            ],
        ),
        Figure(
            slug="panel-attendance",
            title="Panel attendance by role",
            description=f"For cases heard at panel {period.label}: who attended, sent a deputy or gave apologies, by seat.",
            category="Seat",
            measures=[
                Measure("Attended"),
                Measure("Sent a deputy"),
                Measure("Apologies"),
                Measure("Not recorded", charted=False),
            ],
            rows=[
                Row(
                    row["role__name"],
                    (row["attended"], row["deputy"], row["apologies"], row["not_recorded"]),
                )
                for row in attendance
            ],
        ),
        Figure(
            slug="follow-ups",
            title="Follow-up check-ins",
            description=f"Follow-up check-ins after panel due {period.label} (not cancelled).",
            category="Follow-ups due",
            measures=[Measure("Follow-ups")],
            rows=[
                Row("Due", (follow_ups["due"],)),
                Row("Done", (follow_ups["completed"],)),
                Row("Not done yet", (follow_ups["scheduled"],)),
                Row("Not done yet and past their due date", (follow_ups["overdue"],)),
            ],
        ),
        Figure(
            slug="early-outcomes",
            title="Early outcomes",
            description=f"Panel cases with each early outcome recorded at a follow-up check-in, {period.label}.",
            category="Early outcome",
            measures=[Measure("Cases")],
            rows=[
                Row(outcome.name, (outcome.cases,))
                for outcome in early
                if outcome.disabled_on is None or outcome.cases
            ],
        ),
        Figure(
            slug="jcw-contacts",
            title="Joint case work contacts",
            description=f"OPD joint case work contacts, {period.label}: direct (the person on probation was there) and indirect. Case consultations are counted apart.",
            category="Kind of contact",
            measures=[Measure("Contacts")],
            rows=[
                Row("Direct joint case work", (contacts["direct"],)),
                Row("Indirect joint case work", (contacts["indirect"],)),
                Row("Case consultation", (contacts["consultation"],)),
            ],
        ),
        Figure(
            slug="jcw-activity-types",
            title="Joint case work by activity type",
            description=f"Joint case work contacts {period.label} by activity type, direct and indirect. A contact with two activity types counts under each.",
            category="Activity type",
            measures=[Measure("Direct"), Measure("Indirect")],
            rows=[
                Row(activity.name, (activity.direct, activity.indirect))
                for activity in activities
                if activity.disabled_on is None or activity.direct or activity.indirect
            ],
        ),
        Figure(
            slug="jcw-feedback",
            title="Practitioner feedback on joint case work",
            description=f"Practitioners' ratings given {period.label}, from 1 (strongly disagree, or not at all confident) to 5 (strongly agree, or very confident).",
            category="Statement",
            measures=[
                Measure("Average rating", AVERAGE, base=1),
                Measure("Responses", charted=False),
                *[Measure(f"Rated {value}", charted=False) for value in range(1, 6)],
            ],
            rows=[
                Row(
                    label,
                    (
                        feedback[f"{name}_mean"],
                        feedback["responses"],
                        *[feedback[f"{name}_{value}"] for value in range(1, 6)],
                    ),
                )
                for name, label in FEEDBACK_RATINGS
            ],
        ),
    ]


# The learning log -----------------------------------------------------------------------------


def learning_entries(
    *, theme_id: int | None = None, region_id: int | None = None, query: str = ""
) -> QuerySet[LearningEntry]:
    """The log, newest first, optionally by theme, region or words in any of its text."""
    entries = LearningEntry.objects.select_related("region").prefetch_related("themes")
    if theme_id:
        entries = entries.filter(themes=theme_id)
    if region_id:
        entries = entries.filter(region_id=region_id)
    for term in query.split()[:10]:
        entries = entries.filter(
            Q(blocker__icontains=term)
            | Q(what_unblocked__icontains=term)
            | Q(helped_by__icontains=term)
            | Q(themes__name__icontains=term)
        )
    return entries.distinct().order_by("-created_at", "-pk")


def chaired_by(user: User):
    """Bookings where the user sat as chair or deputy chair (who may record learning, with the team)."""
    from panel.models import PanelInvitee

    return PanelInvitee.objects.filter(
        Q(user=user) | Q(deputy_user=user),
        role__code__in=["chair", "deputy_chair"],
        removed_at__isnull=True,
    ).values("booking")


def heard_cases_for_learning(*, user: User, months: int = 6) -> QuerySet[PanelBooking]:
    """Cases heard at panel recently, for the case administrator to record learning from."""
    from panel.selectors import panel_bookings_visible_to

    since = timezone.now() - timezone.timedelta(days=31 * months)
    bookings = panel_bookings_visible_to(user)
    if not user.has_perm("panel.manage_panel"):
        bookings = bookings.filter(pk__in=chaired_by(user))
    return (
        bookings.filter(status=PanelBooking.Status.HEARD, slot__starts_at__gte=since)
        .annotate(has_learning=Exists(LearningEntry.objects.filter(booking=OuterRef("pk"))))
        .order_by("-slot__starts_at")
    )
