"""Small numbers on the outcomes pages (ADR 0054): what is shown, what says "fewer than 5".

The same rule as the dashboard's downloads (ADR 0017), applied at every level and on screen
too, because these figures say what happened to particular people after a panel:

- a count from 1 to 4 is shown as "fewer than 5" (0 stays 0);
- a percentage or average resting on fewer than 5 cases is not shown;
- anything from which a hidden count could be worked out is not shown either: the
  percentage beside it, and a difference whose other side is shown.
"""

from complexcases.core.export import SUPPRESSED

SMALL_NUMBER = 5
NOT_SHOWN = "not shown: fewer than 5 cases"
__all__ = [
    "NOT_SHOWN",
    "SMALL_NUMBER",
    "SUPPRESSED",
    "difference_shown",
    "figure_difference_shown",
    "is_small",
]


def is_small(number: int | float | None) -> bool:
    return number is not None and 0 < number < SMALL_NUMBER


def difference_shown(
    *, proportion: bool, matched: int, matched_count, comparison_people: int, comparison_count
) -> bool:
    """Whether a heard-versus-comparison difference (and its interval) may be shown.

    Hidden when it rests on fewer than 5 matched cases or comparison people, or when either
    side's count of people with the outcome is hidden: the difference and the other side
    would give it back.
    """
    if matched < SMALL_NUMBER or comparison_people < SMALL_NUMBER:
        return False
    return not (proportion and (is_small(matched_count) or is_small(comparison_count)))


def figure_difference_shown(figure, proportion: bool) -> bool:
    """`difference_shown` for a stored OutcomeFigure (and False when it has no difference)."""
    return figure.difference is not None and difference_shown(
        proportion=proportion,
        matched=figure.matched,
        matched_count=figure.matched_count,
        comparison_people=figure.comparison_people,
        comparison_count=figure.comparison_count,
    )
