"""The panel's part of a case: its next step from referral to closure, and the case page's
Panel, Actions and Follow-up sections (see complexcases/cases/parts.py)."""

from django.urls import reverse
from django.utils import timezone

from complexcases.cases.models import Case
from complexcases.cases.parts import CaseSection, NextStep
from complexcases.core.formatting import govuk_date

from .models import FollowUp, PanelBooking

Status = Case.Status
TEAM = "Complex Cases team"
CASE_ADMINISTRATORS = "Case administrators"


def _awaiting(case: Case, user) -> NextStep:
    from .selectors import ready_for_panel

    record = ready_for_panel().filter(request__case=case).first()
    books = user.has_perm("panel.manage_panel") and record is not None
    return NextStep(
        "Book into a panel",
        CASE_ADMINISTRATORS,
        action="Book into a panel" if books else "",
        href=reverse("panel:book", args=[record.pk]) if books else "",
    )


def _booked(case: Case, user) -> NextStep | None:
    booking = (
        PanelBooking.objects.filter(case=case, status=PanelBooking.Status.BOOKED)
        .select_related("slot")
        .first()
    )
    if booking is None:
        return None
    started = booking.slot.starts_at <= timezone.now()
    records = started and user.has_perm("panel.manage_panel")
    return NextStep(
        f"Panel on {govuk_date(booking.slot.starts_at)}",
        TEAM,
        timezone.localdate(booking.slot.starts_at),
        action="Record the minutes" if records else "",
        href=reverse("panel:minutes-edit", args=[booking.pk]) if records else "",
    )


def _follow_up(case: Case, user) -> NextStep:
    due = (
        FollowUp.objects.filter(booking__case=case, status=FollowUp.Status.SCHEDULED)
        .select_related("qdo")
        .order_by("due_on")
        .first()
    )
    if due is not None:
        owner = due.qdo.get_full_name() if due.qdo_id else "A quality development officer"
        records = user.pk == due.qdo_id or user.has_perm("panel.manage_panel")
        return NextStep(
            f"Follow-up check-in {due.number}",
            owner,
            due.due_on,
            action="Record the check-in" if records else "",
            href=reverse("panel:follow-up", args=[due.pk]) if records else "",
        )
    last = (
        FollowUp.objects.filter(booking__case=case, status=FollowUp.Status.COMPLETED)
        .order_by("-completed_at")
        .first()
    )
    if last is not None and last.further_support == FollowUp.FurtherSupport.TRIAGE:
        practitioner = case.person.practitioner
        asks = user.has_perm("triage.add_triagerequest")
        return NextStep(
            "Request a further triage",
            practitioner.get_full_name() if practitioner else "The practitioner",
            action="Request a further triage" if asks else "",
            href=reverse("triage:request", args=[case.person.crn]) if asks else "",
        )
    booking = PanelBooking.objects.filter(case=case, status=PanelBooking.Status.HEARD).last()
    closes = booking is not None and user.has_perm("panel.add_pathwayclosure")
    return NextStep(
        "Close the case on the pathway, or book a further check-in",
        TEAM,
        action="Close the case" if closes else "",
        href=reverse("panel:pathway-close", args=[booking.pk]) if closes else "",
    )


def next_step(case: Case, user) -> NextStep | None:
    if case.status == Status.AWAITING_PANEL:
        return _awaiting(case, user)
    if case.status == Status.BOOKED:
        return _booked(case, user)
    if case.status in (Status.HEARD, Status.IN_FOLLOW_UP):
        return _follow_up(case, user)
    return None


def panel_section(case: Case, user) -> CaseSection | None:
    from .selectors import panel_bookings_visible_to

    bookings = list(
        panel_bookings_visible_to(user)
        .filter(case=case)
        .select_related("slot", "slot__session", "minutes")
        .order_by("booked_at")
    )
    if not bookings:
        return None
    return CaseSection("Panel", "panel", "panel/includes/case_panel.html", {"bookings": bookings})


def actions_section(case: Case, user) -> CaseSection | None:
    from .selectors import panel_actions_visible_to

    actions = list(
        panel_actions_visible_to(user)
        .filter(booking__case=case)
        .select_related("owner")
        .order_by("due_date", "pk")
    )
    if not actions:
        return None
    return CaseSection(
        "Actions", "actions", "panel/includes/case_actions.html", {"actions": actions}
    )


def follow_up_section(case: Case, user) -> CaseSection | None:
    from .selectors import follow_ups_visible_to

    follow_ups = list(follow_ups_visible_to(user).filter(booking__case=case).order_by("number"))
    if not follow_ups:
        return None
    return CaseSection(
        "Follow-up", "follow-up", "panel/includes/case_follow_ups.html", {"follow_ups": follow_ups}
    )
