"""What the core itself shows in its navigation and subject access report."""

from .registry import (
    NavigationItem,
    SubjectAccessSection,
    register_navigation,
    register_subject_access,
)
from .subject_access import access_log_section, person_section


def register() -> None:
    register_navigation(
        NavigationItem(
            label="Access log",
            url_name="access-log",
            permission="core.view_accesslogentry",
            description="Who consulted, changed, exported or sent whose data, and when.",
            order=100,
        ),
        NavigationItem(
            label="Subject access",
            url_name="subject-access",
            permission="core.subject_access",
            description="Everything the service holds about one person, for a subject access request.",
            order=110,
        ),
    )
    register_subject_access(
        SubjectAccessSection(
            name="person", build=person_section, models=("people.Person",), order=0
        )
    )
    register_subject_access(
        SubjectAccessSection(
            name="access log",
            build=access_log_section,
            models=("core.AccessLogEntry", "core.EmailDelivery"),
            order=30,
        )
    )
