"""The dashboard's distributions: one figure per breakdown, for the period."""

from complexcases.screening.rules import CRITERIA
from triage.models import TriageRecord

from ..figures import AVERAGE, PERCENT, Figure, Measure, Row
from .aggregates import month_total, percent
from .jcw_figures import FEEDBACK_RATINGS, jcw_activity_types, jcw_contacts, jcw_feedback
from .panel_figures import attendance_by_role, early_outcomes
from .triage_figures import blocker_themes, overrides, triage_outcomes


def distribution_figures(
    *, scope, period, month, listing, requests, actions, follow_ups
) -> list[Figure]:
    """The breakdowns for the period: criteria, outcomes, themes, actions, attendance, JCW."""
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
    below_requests = month_total(requests, period.months, "below")
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
                        percent(listing[f"criterion_{c.number}"], listing["listed"]),
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
                Row("Done on time", (actions["on_time"], percent(actions["on_time"], due), due)),
                Row("Done late", (actions["late"], percent(actions["late"], due), due)),
                Row("Not done yet", (actions["not_done"], percent(actions["not_done"], due), due)),
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
