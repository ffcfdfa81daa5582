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


def themes_ensure_defaults() -> None:
    """Create any default theme that is missing (after a database flush, say); never changes existing ones."""
    from .models import Theme

    for position, name in enumerate(DEFAULT_THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"position": position * 10})
