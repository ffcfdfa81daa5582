"""The service navigation: each entry names the permission that shows it.

Workflow apps add their entries here as they land; a role sees only what it may use.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    permission: str | None
    description: str


SECTIONS: list[Section] = [
    Section(
        label="Monthly list",
        url_name="screening:monthly-list",
        permission="screening.view_monthlylist",
        description="People meeting the complexity criteria this month, and reflective conversations.",
    ),
    Section(
        label="Triage",
        url_name="triage:queue",
        permission="triage.view_triagerequest",
        description="Triage requests: the team's queue, or your own and your team's requests.",
    ),
    Section(
        label="Joint case work",
        url_name="jcw:caseload",
        permission="jcw.view_jcwepisode",
        description="OPD joint case work: episodes and their aims, contacts, feedback and counts.",
    ),
    Section(
        label="My actions",
        url_name="panel:my-actions",
        permission="panel.view_panelaction",
        description="Actions agreed at panel that you own or chase: open, due soon, overdue and done.",
    ),
    Section(
        label="Follow-ups",
        url_name="panel:follow-ups",
        permission="panel.view_followup",
        description="Check-ins after panel: action progress, developments, wellbeing and early outcomes.",
    ),
    Section(
        label="Panel",
        url_name="panel:sessions",
        permission="panel.view_panelsession",
        description="Panel sessions, cases ready for panel, invitations, papers, minutes and actions.",
    ),
    Section(
        label="Dashboard",
        url_name="reporting:dashboard",
        permission="reporting.view_dashboard",
        description="The pathway's numbers for your team, PDU or region, and the monthly report.",
    ),
    Section(
        label="Learning log",
        url_name="reporting:learning-log",
        permission="reporting.view_learningentry",
        description="Anonymised learning from panel cases: what blocked a case and what unblocked it.",
    ),
    Section(
        label="Import extract",
        url_name="screening:extract-upload",
        permission="screening.import_extract",
        description="Upload the monthly nDelius and OASys extract.",
    ),
    Section(
        label="Access log",
        url_name="access-log",
        permission="core.view_accesslogentry",
        description="Who consulted, changed, exported or sent whose data, and when.",
    ),
    Section(
        label="Subject access",
        url_name="subject-access",
        permission="core.subject_access",
        description="Everything the service holds about one person, for a subject access request.",
    ),
    Section(
        label="Organisation",
        url_name="organisation:pdu-list",
        permission="organisation.view_probationdeliveryunit",
        description="Regions, probation delivery units and teams.",
    ),
    Section(
        label="Staff",
        url_name="organisation:staff-list",
        permission="organisation.view_user",
        description="Staff accounts, their roles and who can sign in.",
    ),
    Section(
        label="Role changes",
        url_name="organisation:role-changes",
        permission="organisation.view_rolechange",
        description="Roles asked for, approved, declined and taken away, and by whom.",
    ),
]


def sections_for(user) -> list[Section]:
    """The sections this user's roles give them, in navigation order."""
    if not user.is_authenticated:
        return []
    return [s for s in SECTIONS if s.permission is None or user.has_perm(s.permission)]


def navigation_for(request) -> list[dict]:
    items = [{"label": "Home", "href": reverse("home"), "active": request.path == reverse("home")}]
    for section in sections_for(request.user):
        href = reverse(section.url_name)
        item = {"label": section.label, "href": href, "active": request.path.startswith(href)}
        if section.url_name == "panel:my-actions":
            from panel.selectors import open_action_count

            item["count"] = open_action_count(request.user)
        items.append(item)
    return items
