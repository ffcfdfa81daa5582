"""Figures as CSV: formula-injection safe, and small counts suppressed below PDU level."""

from typing import TextIO

from complexcases.core.export import write_csv

from .figures import Figure
from .scope import Scope

HEADER = ["Figure", "Area", "Period", "Category", "Measure", "Value"]


def figures_csv(out: TextIO, *, figures: list[Figure], scope: Scope) -> int:
    """One row per cell of each figure. Below PDU level (a team's figures), a count from 1 to 4
    is written "fewer than 5", and a median, percentage or average resting on one is withheld."""
    rows = (
        (figure.title, scope.area, figure.period, category, measure, value)
        for figure in figures
        for category, measure, value in figure.export_rows(suppress=scope.below_pdu)
    )
    return write_csv(out, HEADER, rows)
