"""The periods the joint case work counts page can show."""

PERIODS = {"3": "Last 3 months", "6": "Last 6 months", "12": "Last 12 months"}
