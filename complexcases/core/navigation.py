"""The service navigation: each entry names the permission that shows it.

Each app registers its entries in its ``hooks`` module (``core.registry``); a role sees
only what it may use.
"""

from django.urls import reverse

from .registry import NavigationItem, navigation_items

# The name the rest of the code knows a navigation entry by.
Section = NavigationItem


def sections_for(user) -> list[Section]:
    """The sections this user's roles give them, in navigation order."""
    if not user.is_authenticated:
        return []
    return [s for s in navigation_items() if s.permission is None or user.has_perm(s.permission)]


def navigation_for(request) -> list[dict]:
    items = [{"label": "Home", "href": reverse("home"), "active": request.path == reverse("home")}]
    for section in sections_for(request.user):
        href = reverse(section.url_name)
        item = {"label": section.label, "href": href, "active": request.path.startswith(href)}
        if section.count is not None:
            item["count"] = section.count(request.user)
        items.append(item)
    return items
