"""Reads for reporting: every figure on the dashboard and the monthly report, computed in the
database (ADR 0017), and the learning log.

Each figure is one aggregate query (conditional counts, TruncMonth groups, percentile_cont for
medians), with at most one more small query for its reference rows (themes, activity types,
PDU names), so the number of queries is the same whatever the number of people, requests or
panels. Figures never carry a name or CRN.

One module per concern; this package re-exports the selectors other modules call.
"""

from .aggregates import DaysBetween, Median
from .case_figures import case_counts, case_figures, case_stages
from .dashboard import Dashboard, dashboard_figures
from .jcw_figures import FEEDBACK_RATINGS, jcw_activity_types, jcw_contacts, jcw_feedback
from .learning_log import chaired_by, heard_cases_for_learning, learning_entries
from .monthly_list import LISTED, listed_by_month_and_pdu, listing_this_month
from .panel_figures import (
    actions_summary,
    attendance_by_role,
    early_outcomes,
    follow_ups_summary,
)
from .triage_figures import (
    MET,
    blocker_themes,
    heard_by_month,
    overrides,
    requests_by_month,
    triage_outcomes,
)

__all__ = [
    "FEEDBACK_RATINGS",
    "LISTED",
    "MET",
    "Dashboard",
    "DaysBetween",
    "Median",
    "actions_summary",
    "attendance_by_role",
    "blocker_themes",
    "case_counts",
    "case_figures",
    "case_stages",
    "chaired_by",
    "dashboard_figures",
    "early_outcomes",
    "follow_ups_summary",
    "heard_by_month",
    "heard_cases_for_learning",
    "jcw_activity_types",
    "jcw_contacts",
    "jcw_feedback",
    "learning_entries",
    "listed_by_month_and_pdu",
    "listing_this_month",
    "overrides",
    "requests_by_month",
    "triage_outcomes",
]
