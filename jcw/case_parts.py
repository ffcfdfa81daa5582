"""Joint case work's part of a case page: the person's episodes with an OPD clinician that ran
while the case was open (JCW is recorded per person, not per case)."""

from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.parts import CaseSection


def section(case: Case, user) -> CaseSection | None:
    from .selectors import jcw_episodes_visible_to

    episodes = jcw_episodes_visible_to(user).filter(person=case.person)
    if case.closed_at:
        episodes = episodes.filter(started_on__lte=timezone.localdate(case.closed_at))
    episodes = list(episodes.select_related("clinician").order_by("started_on"))
    if not episodes:
        return None
    return CaseSection(
        "Joint case work",
        "joint-case-work",
        "jcw/includes/case_section.html",
        {"episodes": episodes},
    )
