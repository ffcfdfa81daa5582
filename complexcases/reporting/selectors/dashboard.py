"""The dashboard: its headline numbers and trends, with the distributions from distributions.py."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ..figures import DAYS, PERCENT, BigNumber, Figure, Measure, Row
from ..periods import Period
from ..scope import Scope
from .aggregates import month_total, percent
from .case_figures import case_figures
from .distributions import distribution_figures
from .monthly_list import listed_by_month_and_pdu, listing_this_month
from .panel_figures import actions_summary, follow_ups_summary
from .triage_figures import heard_by_month, requests_by_month


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    trend_period: Period
    headlines: list[BigNumber] = field(default_factory=list)
    trends: list[Figure] = field(default_factory=list)
    distributions: list[Figure] = field(default_factory=list)
    cases: list[Figure] = field(default_factory=list)
    headline_figure: Figure | None = None

    @property
    def figures(self) -> list[Figure]:
        return [self.headline_figure, *self.trends, *self.cases, *self.distributions]

    def figure(self, slug: str) -> Figure | None:
        return next((f for f in self.figures if f.slug == slug), None)


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

    requests_in_period = month_total(requests, period.months, "requests")
    heard_in_period = month_total(heard, period.months, "heard")
    conversations_percent = percent(listing["conversations"], listing["listed"])
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
    board.distributions = distribution_figures(
        scope=scope, period=period, month=month, listing=listing, requests=requests,
        actions=actions, follow_ups=follow_ups,
    )  # fmt: skip
    board.cases = case_figures(scope=scope, period=period)
    for figure in board.trends:
        figure.period = trend.label
    for figure in (board.headline_figure, *board.cases, *board.distributions):
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
