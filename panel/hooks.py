"""What panel contributes to the core's pages (see complexcases/core/registry.py)."""

from django.urls import reverse

from complexcases.core.registry import (
    DemoStep,
    LeaverWork,
    NavigationItem,
    SubjectAccessSection,
    TodayItem,
    register_demo_step,
    register_leaver_work,
    register_navigation,
    register_needs_today,
    register_subject_access,
    register_timeline_source,
)


def open_actions(user) -> int:
    from .selectors import open_action_count

    return open_action_count(user)


def needs_today(request) -> list[TodayItem]:
    """The user's overdue and due-soon actions, due check-ins, and their cases where a
    follow-up recommended a further triage (each such follow-up shown is logged)."""
    from complexcases.core.access_log import access_log_consultation

    from .selectors import needs_me_today

    today = needs_me_today(request.user)
    actions = reverse("panel:my-actions")
    items = []
    if request.user.has_perm("panel.manage_panel"):
        from complexcases.cases.models import Case

        waiting = Case.objects.filter(status=Case.Status.AWAITING_PANEL).count()
        if waiting:
            items.append(
                TodayItem(
                    f"{waiting} case{'s' if waiting != 1 else ''} waiting for a panel slot",
                    reverse("panel:ready"),
                )
            )
    if today.overdue_actions:
        count = today.overdue_actions
        items.append(
            TodayItem(
                f"{count} overdue action{'s' if count != 1 else ''}", f"{actions}?tab=overdue"
            )
        )
    if today.due_soon_actions:
        count = today.due_soon_actions
        items.append(
            TodayItem(
                f"{count} action{'s' if count != 1 else ''} due soon", f"{actions}?tab=due-soon"
            )
        )
    if today.follow_ups_due:
        count = today.follow_ups_due
        items.append(
            TodayItem(
                f"{count} follow-up check-in{'s' if count != 1 else ''} due",
                reverse("panel:follow-ups"),
            )
        )
    for follow_up in today.further_triage:
        access_log_consultation(
            request=request,
            person=follow_up.person,
            record_type="follow-up",
            record_id=follow_up.pk,
        )
        items.append(
            TodayItem(
                follow_up.person.full_name,
                reverse("people:person", args=[follow_up.person.crn]),
                before="A follow-up recommends a further triage for",
            )
        )
    return items


def timeline(person, *, user, reads: dict) -> list:
    from .selectors import panel_timeline_events

    return panel_timeline_events(person, user=user)


def subject_access(*, person, redact_staff: bool) -> dict:
    from .subject_access import panel_subject_access

    panel = panel_subject_access(person=person, redact_staff=redact_staff)
    return {
        "panel_bookings": panel["bookings"],
        "panel_actions": panel["actions"],
        "follow_ups": panel["follow_ups"],
        "pathway_closures": panel["closures"],
    }


def demo() -> int:
    from .demo import demo_panel_load

    return demo_panel_load()


def _open_actions(field):
    def items(leaver):
        from .models import PanelAction

        return PanelAction.objects.filter(**{field: leaver, "status": PanelAction.Status.OPEN})

    return items


def _set(field):
    def move(item, leaver, colleague):
        setattr(item, field, colleague)
        item.save(update_fields=[field, "updated_at"])

    return move


def _check_ins(leaver):
    from .models import FollowUp

    return FollowUp.objects.filter(qdo=leaver, status=FollowUp.Status.SCHEDULED)


def _action_owners(leaver, staff):
    from .selectors import action_owner_choices

    return action_owner_choices().exclude(pk=leaver.pk)


def _quality_development_officers(leaver, staff):
    from complexcases.organisation.roles import Role

    return staff.filter(groups__name__in=[Role.QUALITY_DEVELOPMENT_OFFICER]).distinct()


def _only_a_qdo(colleague) -> str:
    from complexcases.organisation.roles import Role

    if colleague.groups.filter(name=Role.QUALITY_DEVELOPMENT_OFFICER).exists():
        return ""
    return "Follow-up check-ins can only move to a quality development officer"


ACTION_LINKS = (("Your actions", "panel:my-actions"), ("Your follow-ups", "panel:follow-ups"))


def register() -> None:
    from complexcases.cases.parts import register_case_section, register_next_step

    from . import case_parts

    register_next_step(case_parts.next_step, order=30)
    register_case_section(case_parts.panel_section, order=30)
    register_case_section(case_parts.actions_section, order=40)
    register_case_section(case_parts.follow_up_section, order=50)
    register_navigation(
        NavigationItem(
            label="My actions",
            url_name="panel:my-actions",
            permission="panel.view_panelaction",
            description="Actions agreed at panel that you own or chase: open, due soon, overdue and done.",
            order=40,
            count=open_actions,
        ),
        NavigationItem(
            label="Follow-ups",
            url_name="panel:follow-ups",
            permission="panel.view_followup",
            description="Check-ins after panel: action progress, developments, wellbeing and early outcomes.",
            order=50,
        ),
        NavigationItem(
            label="Panel",
            url_name="panel:sessions",
            permission="panel.view_panelsession",
            description="Panel sessions, cases ready for panel, invitations, papers, minutes and actions.",
            order=60,
        ),
    )
    register_needs_today(needs_today, order=10)
    register_timeline_source(timeline, order=30)
    register_subject_access(
        SubjectAccessSection(
            name="panel",
            build=subject_access,
            models=(
                "panel.PanelBooking",
                "panel.PanelInvitee",
                "panel.PanelPaper",
                "panel.PapersLink",
                "panel.PapersLinkCode",
                "panel.PapersLinkFailure",
                "panel.PanelMinutes",
                "panel.PanelMinutesVersion",
                "panel.PanelAction",
                "panel.PanelActionUpdate",
                "panel.FollowUp",
                "panel.FollowUpActionProgress",
                "panel.PathwayClosure",
            ),
            order=40,
        )
    )
    register_leaver_work(
        LeaverWork(
            kind="actions",
            label="open action(s) to own",
            form_label="Open actions they own",
            items=_open_actions("owner"),
            move=_set("owner"),
            colleagues=_action_owners,
            links=ACTION_LINKS,
            order=10,
        ),
        LeaverWork(
            kind="chasing",
            label="action(s) to chase",
            form_label="Actions they chase for owners outside the service",
            items=_open_actions("chaser"),
            move=_set("chaser"),
            colleagues=_action_owners,
            links=ACTION_LINKS,
            order=20,
        ),
        LeaverWork(
            kind="follow_ups",
            label="follow-up check-in(s)",
            form_label="Follow-up check-ins",
            items=_check_ins,
            move=_set("qdo"),
            colleagues=_quality_development_officers,
            can_take=_only_a_qdo,
            links=ACTION_LINKS,
            order=30,
        ),
    )
    register_demo_step(
        DemoStep(
            name="panel",
            load=demo,
            message="{count} synthetic panel cases (waiting, booked, heard).",
            order=30,
        )
    )
