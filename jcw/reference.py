"""Reference data joint case work starts with, from the JCW evaluation's survey (Appendix A).

Activity types are a table (administrators add more and disable old ones); the rating
statements and scales are fixed, because feedback is compared across time with them.
"""

# Joint case work is a brief intervention: 1 to 6 sessions. More needs a recorded reason.
SESSIONS_WITHOUT_REASON = 6
MAX_PLANNED_SESSIONS = 20

# (code, name, needs a description)
DEFAULT_ACTIVITY_TYPES = [
    ("formulation_create", "Creating a psychologically-informed formulation", False),
    ("formulation_update", "Updating an existing formulation", False),
    ("letter", "Writing a letter", False),
    (
        "meeting_support",
        "Supporting attendance at a meeting, such as MAPPA or a professionals meeting",
        False,
    ),
    ("session_planning", "Session or intervention planning", False),
    ("referral", "Writing a referral", False),
    ("case_review", "Case review", False),
    ("other", "Other", True),
]

# (feedback field, the statement as the practitioner reads it, its short name in summaries)
RATING_STATEMENTS = [
    (
        "understanding",
        "I have a clear understanding of what activities or contacts are joint case work",
        "Clear understanding of what joint case work is",
    ),
    (
        "practice_impact",
        "Joint case work has had a positive impact on my practice",
        "Positive impact on my practice",
    ),
    (
        "apply_skills",
        "I can apply skills from joint case work to other areas of my practice",
        "Can apply skills to other areas of practice",
    ),
    (
        "important",
        "Joint case work is an important part of my work",
        "Important part of my work",
    ),
    (
        "risk_management",
        "Joint case work has had a positive impact on risk management",
        "Positive impact on risk management",
    ),
]

AGREEMENT_SCALE = [
    (1, "Strongly disagree"),
    (2, "Slightly disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Slightly agree"),
    (5, "Strongly agree"),
]

CONFIDENCE_SCALE = [
    (1, "Not at all confident"),
    (2, "Not very confident"),
    (3, "Fairly confident"),
    (4, "Confident"),
    (5, "Very confident"),
]


def activity_types_ensure_defaults() -> None:
    """Create any default activity type that is missing (after a database flush, say); never changes existing ones."""
    from .models import ActivityType

    for position, (code, name, needs_description) in enumerate(DEFAULT_ACTIVITY_TYPES, start=1):
        ActivityType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position * 10,
                "needs_description": needs_description,
            },
        )
