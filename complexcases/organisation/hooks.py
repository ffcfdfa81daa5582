"""What organisation contributes to the service navigation."""

from complexcases.core.registry import NavigationItem, register_navigation


def register() -> None:
    register_navigation(
        NavigationItem(
            label="Organisation",
            url_name="organisation:pdu-list",
            permission="organisation.view_probationdeliveryunit",
            description="Regions, probation delivery units and teams.",
            order=120,
        ),
        NavigationItem(
            label="Staff",
            url_name="organisation:staff-list",
            permission="organisation.view_user",
            description="Staff accounts, their roles and who can sign in.",
            order=130,
        ),
        NavigationItem(
            label="Role changes",
            url_name="organisation:role-changes",
            permission="organisation.view_rolechange",
            description="Roles asked for, approved, declined and taken away, and by whom.",
            order=140,
        ),
    )
