"""Reads for outcomes: the stored summaries of one area, as the pages' tables."""

from .after_panel import AfterPanelPage, after_panel_page, breakdown_table, horizon_label
from .areas import area_of, latest_refresh, pdus_of
from .criteria import CriteriaPage, criteria_page
from .threshold import THRESHOLDS, ThresholdPage, listed_if, threshold_page

__all__ = [
    "THRESHOLDS",
    "AfterPanelPage",
    "CriteriaPage",
    "ThresholdPage",
    "after_panel_page",
    "area_of",
    "breakdown_table",
    "criteria_page",
    "horizon_label",
    "latest_refresh",
    "listed_if",
    "pdus_of",
    "threshold_page",
]
