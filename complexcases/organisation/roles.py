"""The roles in DOMAIN.md as Django Groups, and the permissions each one holds.

Groups are kept in step with this table after every `migrate`, so adding a permission
to a role is a one-line change here. Workflow apps add their permissions as they land.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS


class Role:
    PROBATION_PRACTITIONER = "Probation practitioner"
    SENIOR_PROBATION_OFFICER = "Senior probation officer"
    PROGRAMME_MANAGER = "Programme manager"
    CASE_ADMINISTRATOR = "Case administrator"
    PANEL_MEMBER = "Panel member"
    QUALITY_DEVELOPMENT_OFFICER = "Quality development officer"
    OPD_CLINICIAN = "OPD clinician"
    SENIOR_FORENSIC_PSYCHOLOGIST = "Senior forensic psychologist"
    HEAD_OF_SERVICE = "Head of service or manager"
    DATA_PROTECTION_OFFICER = "Data protection officer"
    SYSTEM_ADMINISTRATOR = "System administrator"

    ALL = (
        PROBATION_PRACTITIONER,
        SENIOR_PROBATION_OFFICER,
        PROGRAMME_MANAGER,
        CASE_ADMINISTRATOR,
        PANEL_MEMBER,
        QUALITY_DEVELOPMENT_OFFICER,
        OPD_CLINICIAN,
        SENIOR_FORENSIC_PSYCHOLOGIST,
        HEAD_OF_SERVICE,
        DATA_PROTECTION_OFFICER,
        SYSTEM_ADMINISTRATOR,
    )


# "app_label.codename" for each role. Every entry must exist (a test checks it).
_SEE_THE_LIST = ["people.view_person", "screening.view_monthlylist", "cases.view_case_page"]
# Joint case work (ADR 0013): who reads episodes and contacts, and who writes what.
_JCW_READ = ["jcw.view_jcwepisode", "jcw.view_jcwcontact"]
_JCW_CASE_HOLDER = [
    *_JCW_READ,
    "jcw.add_jcwcontact",
    "jcw.add_jcwfeedback",
    "jcw.add_practitioner_view",
]
_JCW_CLINICIAN = [
    *_JCW_READ,
    "jcw.add_jcwepisode",
    "jcw.change_jcwepisode",
    "jcw.add_jcwcontact",
    "jcw.view_jcw_counts",
]
_COMPLEX_CASES_TEAM = [
    *_SEE_THE_LIST,
    "people.view_all_people",
    "triage.view_triagerequest",
    "triage.view_triage_queue",
    *_JCW_READ,
    "jcw.view_all_jcw",
    "jcw.view_jcw_counts",
    "panel.view_panelsession",
    "panel.view_panel_case",
    "panel.view_panelaction",
]
_HOLD_CASES = [
    *_SEE_THE_LIST,
    "people.change_person",
    "triage.add_triagerequest",
    "triage.view_triagerequest",
    "triage.withdraw_triagerequest",
    *_JCW_CASE_HOLDER,
    "panel.view_panel_case",
    "panel.view_panelaction",
]
# The team may open a case on a practitioner's behalf (ADR 0055).
_RUN_TRIAGE = ["triage.manage_triage", "triage.add_triagerequest"]
_RUN_PANEL = [
    "panel.manage_panel",
    "panel.view_followup",
    "panel.change_followup",
    "panel.add_pathwayclosure",
]
_FOLLOW_UP = ["panel.view_followup", "panel.change_followup", "panel.add_pathwayclosure"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PROBATION_PRACTITIONER: [
        *_HOLD_CASES,
        "screening.add_reflectiveconversation",
        "screening.add_pathwayoverride",
    ],
    Role.SENIOR_PROBATION_OFFICER: [
        *_HOLD_CASES,
        "screening.add_reflectiveconversation",
        "screening.add_pathwayoverride",
        "panel.reassign_work",
    ],
    Role.PROGRAMME_MANAGER: [
        "organisation.view_probationdeliveryunit",
        *_COMPLEX_CASES_TEAM,
        "people.change_person",
        "screening.import_extract",
        "screening.generate_monthly_list",
        "screening.add_pathwayoverride",
        *_RUN_TRIAGE,
        *_RUN_PANEL,
    ],
    Role.CASE_ADMINISTRATOR: [
        "organisation.view_probationdeliveryunit",
        *_COMPLEX_CASES_TEAM,
        "people.change_person",
        "screening.import_extract",
        "screening.generate_monthly_list",
        "screening.add_pathwayoverride",
        *_RUN_TRIAGE,
        *_RUN_PANEL,
    ],
    Role.PANEL_MEMBER: [
        "panel.view_panelsession",
        "panel.view_panel_case",
        "panel.view_panelaction",
    ],
    Role.QUALITY_DEVELOPMENT_OFFICER: [*_FOLLOW_UP, *_COMPLEX_CASES_TEAM],
    Role.OPD_CLINICIAN: ["panel.view_panel_case", "panel.view_panelaction", *_JCW_CLINICIAN],
    Role.SENIOR_FORENSIC_PSYCHOLOGIST: [*_COMPLEX_CASES_TEAM],
    Role.HEAD_OF_SERVICE: [
        "organisation.view_probationdeliveryunit",
        *_SEE_THE_LIST,
        "panel.view_panel_case",
        "panel.view_panelaction",
        *_JCW_READ,
        "jcw.view_jcw_counts",
    ],
    Role.DATA_PROTECTION_OFFICER: [
        "core.view_accesslogentry",
        "core.export_access_log",
        "core.subject_access",
        # ADR 0021: the DPO reads every role change.
        "organisation.view_rolechange",
    ],
    Role.SYSTEM_ADMINISTRATOR: [
        "panel.reassign_work",
        "organisation.view_probationdeliveryunit",
        "organisation.import_organisation",
        "organisation.view_user",
        "organisation.add_user",
        "organisation.change_user",
        "organisation.view_team",
        "organisation.add_team",
        "organisation.change_team",
        # ADR 0021: ask for a role change (add), approve or decline another's (change).
        "organisation.view_rolechange",
        "organisation.add_rolechange",
        "organisation.change_rolechange",
        # ADRs 0051 and 0052: each email's and each background task's status, in the admin,
        # and sending a failed one again.
        "core.view_emaildelivery",
        "core.view_taskrun",
    ],
}

# Reporting (ADR 0016): the dashboard, scoped by role (team, PDU, region or every region); the
# monthly report; the learning log, which every member of staff reads. Kept as one block so
# the grants for issue #8 read together.
_LEARNING_READ = ["reporting.view_learningentry"]
_FIGURES_EVERYWHERE = [
    "reporting.view_dashboard",
    "reporting.view_national_figures",
    "reporting.view_monthly_report",
]
_REPORTING: dict[str, list[str]] = {
    Role.PROBATION_PRACTITIONER: ["reporting.view_dashboard", *_LEARNING_READ],
    Role.SENIOR_PROBATION_OFFICER: ["reporting.view_dashboard", *_LEARNING_READ],
    Role.PROGRAMME_MANAGER: [
        *_FIGURES_EVERYWHERE,
        *_LEARNING_READ,
        "reporting.add_learningentry",
    ],
    Role.CASE_ADMINISTRATOR: [
        *_FIGURES_EVERYWHERE,
        *_LEARNING_READ,
        "reporting.add_learningentry",
    ],
    # The chair (a panel member) records learning from the cases they chaired.
    Role.PANEL_MEMBER: [*_LEARNING_READ, "reporting.add_learningentry"],
    Role.QUALITY_DEVELOPMENT_OFFICER: [*_FIGURES_EVERYWHERE, *_LEARNING_READ],
    Role.OPD_CLINICIAN: _LEARNING_READ,
    Role.SENIOR_FORENSIC_PSYCHOLOGIST: [*_FIGURES_EVERYWHERE, *_LEARNING_READ],
    Role.HEAD_OF_SERVICE: [
        "reporting.view_dashboard",
        "reporting.view_monthly_report",
        *_LEARNING_READ,
    ],
    Role.DATA_PROTECTION_OFFICER: _LEARNING_READ,
    Role.SYSTEM_ADMINISTRATOR: _LEARNING_READ,
}
for _role, _codenames in _REPORTING.items():
    ROLE_PERMISSIONS[_role] = [*ROLE_PERMISSIONS[_role], *_codenames]

# Outcomes after the panel and criteria testing (issue #25): the programme manager's and the
# heads of service's answer to "is it working?", scoped as their dashboard is (ADR 0016).
for _role in (Role.PROGRAMME_MANAGER, Role.HEAD_OF_SERVICE):
    ROLE_PERMISSIONS[_role] = [*ROLE_PERMISSIONS[_role], "outcomes.view_outcomes"]


def roles_sync(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> None:
    """Create a Group per role and set its permissions to exactly those in ROLE_PERMISSIONS."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".", 1)
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is None:
                raise LookupError(f"Role {role!r} names unknown permission {dotted!r}")
            wanted.append(permission)
        group.permissions.set(wanted)


def sync_roles_after_migrate(
    sender, app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
):
    """post_migrate: make sure every app's permissions exist, then bring the Groups in line."""
    if app_config.label != "organisation":
        return
    from django.contrib.auth.management import create_permissions

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=global_apps)
    roles_sync(using=using)
