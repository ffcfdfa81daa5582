"""Extension points: what each workflow contributes to the pages the core owns.

The core (home page, navigation, person page, subject access, leaver reassignment, demo
data) knows no workflow. Each app registers its contributions from its ``hooks`` module,
which its ``AppConfig.ready()`` imports (like Wagtail's ``wagtail_hooks.py``). The core
reads the registry; it never imports a workflow. docs/architecture.md shows an example.

Contributions are kept in ``order`` (then in registration order), so what a page shows does
not depend on the order of INSTALLED_APPS.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavigationItem:
    """A section in the service navigation and on the home page, shown to users who have
    ``permission``; ``count`` (if any) is a badge, e.g. the user's open actions."""

    label: str
    url_name: str
    permission: str | None
    description: str
    order: int = 100
    count: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class TodayItem:
    """One line of the home page's "Needs you today" banner: ``before`` then a link."""

    link_text: str
    href: str
    before: str = ""


@dataclass(frozen=True)
class SubjectAccessSection:
    """Part of the subject access report.

    ``build(person=..., redact_staff=...)`` returns ``{report key: list of items}``;
    ``models`` names every model (``app_label.ModelName``) whose rows about the person the
    section reports, so a test can find any model with a path to a person that no section
    covers.
    """

    name: str
    build: Callable[..., dict]
    models: tuple[str, ...]
    order: int = 100


def _their_person(item):
    return item.person


def _anyone(colleague) -> str:
    return ""


@dataclass(frozen=True)
class LeaverWork:
    """A kind of work a member of staff can hold, passed on when they leave
    (``organisation/leavers.py``).

    ``items(leaver)`` is a queryset of what they hold; ``move(item, leaver, colleague)``
    moves one locked item and saves it; ``person(item)`` is whose record it is (for the
    access log); ``colleagues(leaver, staff)`` narrows ``staff`` (active colleagues in the
    leaver's PDU) to those who may take this kind over; ``can_take(colleague)`` returns why
    not, or ``""``. ``label`` ends the line "3 …" in the colleague's email; ``form_label``
    names the choice on the page; ``links`` are (text, URL name) pairs for the email.
    """

    kind: str
    label: str
    form_label: str
    items: Callable[[Any], Any]
    move: Callable[[Any, Any, Any], None]
    colleagues: Callable[[Any, Any], Any]
    person: Callable[[Any], Any] = _their_person
    can_take: Callable[[Any], str] = _anyone
    links: tuple[tuple[str, str], ...] = ()
    order: int = 100


@dataclass(frozen=True)
class DemoStep:
    """A step of ``load_demo_data``.

    ``load()`` returns a count (or a dict of counts) and ``message`` says what was loaded,
    filled in with ``{count}`` (or the dict's keys); nothing is said when the count is 0.
    A ``headline`` message is part of the first line of the command's output.
    """

    name: str
    load: Callable[[], Any]
    message: str = ""
    order: int = 100
    headline: bool = False


@dataclass
class Registry:
    navigation: list[NavigationItem] = field(default_factory=list)
    needs_today: list[tuple[int, Callable]] = field(default_factory=list)
    timeline_sources: list[tuple[int, Callable]] = field(default_factory=list)
    person_page: list[tuple[int, Callable]] = field(default_factory=list)
    subject_access: list[SubjectAccessSection] = field(default_factory=list)
    leaver_work: list[LeaverWork] = field(default_factory=list)
    demo_steps: list[DemoStep] = field(default_factory=list)
    freshness: list[Callable] = field(default_factory=list)


registry = Registry()


def _by_order(items: Iterable) -> list:
    return sorted(items, key=lambda item: item[0] if isinstance(item, tuple) else item.order)


def register_navigation(*items: NavigationItem) -> None:
    registry.navigation.extend(items)


def register_needs_today(provider: Callable, *, order: int = 100) -> None:
    """``provider(request) -> list[TodayItem]``: what needs this user today."""
    registry.needs_today.append((order, provider))


def register_timeline_source(source: Callable, *, order: int = 100) -> None:
    """``source(person, *, user, reads) -> list[TimelineEvent]`` for the person page.

    ``reads`` holds what the person page's contributions already read (see
    ``register_person_page``), so a source need not read it again.
    """
    registry.timeline_sources.append((order, source))


def register_person_page(contribution: Callable, *, order: int = 100) -> None:
    """``contribution(request, person, reads) -> dict`` adds to the person page's context.

    A contribution may put what it read into ``reads`` for the timeline sources.
    """
    registry.person_page.append((order, contribution))


def register_subject_access(section: SubjectAccessSection) -> None:
    registry.subject_access.append(section)


def register_leaver_work(*kinds: LeaverWork) -> None:
    registry.leaver_work.extend(kinds)


def register_demo_step(step: DemoStep) -> None:
    registry.demo_steps.append(step)


def register_freshness(provider: Callable) -> None:
    """``provider() -> {name: datetime | None}``: when something the service needs last happened.

    The metrics report each as ``<name>_age_seconds`` (e.g. the newest extract's import).
    """
    registry.freshness.append(provider)


def freshness_providers() -> list[Callable]:
    return list(registry.freshness)


def navigation_items() -> list[NavigationItem]:
    return _by_order(registry.navigation)


def needs_today_providers() -> list[Callable]:
    return [provider for _order, provider in _by_order(registry.needs_today)]


def timeline_sources() -> list[Callable]:
    return [source for _order, source in _by_order(registry.timeline_sources)]


def person_page_contributions() -> list[Callable]:
    return [contribution for _order, contribution in _by_order(registry.person_page)]


def subject_access_sections() -> list[SubjectAccessSection]:
    return _by_order(registry.subject_access)


def leaver_work_kinds() -> list[LeaverWork]:
    return _by_order(registry.leaver_work)


def demo_steps() -> list[DemoStep]:
    return _by_order(registry.demo_steps)
