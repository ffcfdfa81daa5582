"""Reference data the service starts with. Administrators add more in the admin."""

DEFAULT_THEMES = [
    "Mental health",
    "Housing or approved premises",
    "Violence or hostility towards staff",
    "Gender identity",
    "Substance misuse",
    "Immigration status",
    "Family relationships",
    "Childhood trauma",
    "Youth offending history",
    "Child protection",
    "Other",
]

# How the outcome form groups the themes (issue 21): a legend per group, so 11 boxes (33 over
# three blockers) read as five short lists. Only the page changes: a blocker still stores the
# themes themselves. A theme an administrator adds goes under "Other themes" until listed here.
THEME_CATEGORIES = [
    ("Health", ["Mental health", "Substance misuse"]),
    ("Risk and safeguarding", ["Violence or hostility towards staff", "Child protection"]),
    ("Life history", ["Childhood trauma", "Youth offending history", "Family relationships"]),
    (
        "Identity and circumstances",
        ["Gender identity", "Immigration status", "Housing or approved premises"],
    ),
]
OTHER_THEMES = "Other themes"


def themes_grouped(themes) -> list[tuple[str, list]]:
    """The themes under their category's heading, in THEME_CATEGORIES order, the rest last."""
    by_name = {theme.name: theme for theme in themes}
    groups = []
    placed = set()
    for category, names in THEME_CATEGORIES:
        members = [by_name[name] for name in names if name in by_name]
        placed.update(theme.name for theme in members)
        if members:
            groups.append((category, members))
    rest = [theme for theme in themes if theme.name not in placed]
    if rest:
        groups.append((OTHER_THEMES, rest))
    return groups


def themes_ensure_defaults() -> None:
    """Create any default theme that is missing (after a database flush, say); never changes existing ones."""
    from .models import Theme

    for position, name in enumerate(DEFAULT_THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"position": position * 10})
