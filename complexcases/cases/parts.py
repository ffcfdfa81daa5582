"""What each workflow contributes to a case (like ``core.registry`` for the core's pages).

The cases app knows no workflow: triage and panel register, from their ``hooks`` module,
the next step of a case in the states they own and a section of the case page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NextStep:
    """What happens next on a case, who owns it and when it is due.

    ``action``/``href`` is a button for the users who may take the step (empty otherwise).
    """

    text: str
    owner: str
    due: date | None = None
    action: str = ""
    href: str = ""


@dataclass(frozen=True)
class CaseSection:
    """A section of the case page: a heading, an anchor, a template and its context."""

    title: str
    slug: str
    template: str
    context: dict


_next_steps: list[tuple[int, Callable]] = []
_sections: list[tuple[int, Callable]] = []


def register_next_step(provider: Callable, *, order: int = 100) -> None:
    """``provider(case, user) -> NextStep | None``; the first that answers is shown."""
    _next_steps.append((order, provider))
    _next_steps.sort(key=lambda item: item[0])


def register_case_section(provider: Callable, *, order: int = 100) -> None:
    """``provider(case, user) -> CaseSection | None``: the workflow's records on this case."""
    _sections.append((order, provider))
    _sections.sort(key=lambda item: item[0])


def next_step_for(case, user) -> NextStep | None:
    if not case.is_open:
        return None
    for _, provider in _next_steps:
        step = provider(case, user)
        if step is not None:
            return step
    return None


def sections_for(case, user) -> list[CaseSection]:
    return [s for _, provider in _sections if (s := provider(case, user)) is not None]
