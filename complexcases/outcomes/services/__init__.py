"""Writes for outcomes: rebuilding the summaries the pages read (ADR 0054)."""

from .refresh import COMPARISON_PER_CASE, SEED, outcomes_refresh

__all__ = ["COMPARISON_PER_CASE", "SEED", "outcomes_refresh"]
