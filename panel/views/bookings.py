"""Panel pages: cases ready for panel, booking them, and their invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record_many,
)
from complexcases.core.errors import form_error
from complexcases.screening.selectors import latest_screening

from ..forms import (
    AddExternalInviteeForm,
    AddStaffInviteeForm,
    BookForm,
    DeputyForm,
    ReasonForm,
)
from ..models import PanelBooking, PanelMinutes, PathwayClosure
from ..selectors import (
    active_invitees,
    earlier_actions,
    free_slots,
    panel_booking_get_for,
    papers_open_to,
    papers_release_date,
    ready_for_panel,
    ready_record_get,
    seats_for,
    staff_choices,
)
from ..selectors.papers_links import papers_links_for
from ..services.bookings import (
    panel_booking_cancel,
    panel_booking_create,
    panel_deputy_nominate,
    panel_invitations_send,
    panel_invitee_add,
    panel_invitee_remove,
)
from ..services.common import PanelError
from .common import MANAGE, VIEW_CASE, _consulted, _slot_label, _started, _to_booking

# Booking --------------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_GET
def ready(request):
    """Cases referred to panel at triage and not yet booked."""
    records = list(ready_for_panel())
    access_log_record_many(
        user=request.user,
        action=Action.CONSULTATION,
        record_type="panel queue",
        people=[record.request.person for record in records],
        detail="Ready for panel list",
    )
    return render(request, "panel/ready.html", {"records": records})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def book(request, record_id):
    record = ready_record_get(record_id)
    person = record.request.person
    slots = list(free_slots(region=person.pdu.region)[:40])
    choices = [(str(slot.pk), _slot_label(slot)) for slot in slots]
    form = BookForm(request.POST if request.method == "POST" else None, slot_choices=choices)
    if request.method == "POST" and form.is_valid():
        slot = next(slot for slot in slots if str(slot.pk) == form.cleaned_data["slot"])
        try:
            booking = panel_booking_create(slot=slot, triage_record=record, by=request.user)
        except PanelError as error:
            form.add_error("slot", str(error))
        else:
            messages.success(
                request, "Case booked. Check who is invited, then send the invitations"
            )
            return redirect("panel:invitees", pk=booking.pk)
    access_log_consultation(
        request=request, person=person, record_type="panel queue", record_id=record.pk
    )
    return render(
        request,
        "panel/book.html",
        {"form": form, "record": record, "person": person, "slots": slots},
    )


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def booking(request, pk):
    """One case at panel: the ask, who is invited, papers, minutes and actions."""
    booking = panel_booking_get_for(request.user, pk)
    _consulted(request, booking)
    invitees = list(active_invitees(booking))
    can_manage = request.user.has_perm(MANAGE)
    empty_seats = []
    if can_manage and booking.status == PanelBooking.Status.BOOKED:
        _, empty_seats = seats_for(person=booking.person, triage_record=booking.triage_record)
    return render(
        request,
        "panel/booking.html",
        {
            "booking": booking,
            "person": booking.person,
            "screening": latest_screening(booking.person),
            "invitees": invitees,
            "my_seat": next((i for i in invitees if i.user_id == request.user.pk), None),
            "empty_seats": empty_seats,
            "papers_open": papers_open_to(request.user, booking),
            "papers": booking.papers.filter(removed_at__isnull=True),
            "minutes": PanelMinutes.objects.filter(booking=booking).first(),
            "actions": booking.actions.select_related("owner", "chaser").prefetch_related(
                "updates"
            ),
            "can_manage": can_manage,
            "release_date": papers_release_date(booking.slot.session),
            "slot_label": _slot_label(booking.slot),
            "started": _started(booking.slot),
            "carried_over": earlier_actions(booking).filter(status="open"),
            "follow_ups": booking.follow_ups.select_related("qdo"),
            "closed": PathwayClosure.objects.filter(booking=booking).first(),
            "papers_links": papers_links_for(booking) if can_manage else [],
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label="Why is the booking cancelled?",
        submit="Cancel booking",
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_booking_cancel(
                booking=booking, reason=form.cleaned_data["reason"], by=request.user
            )
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(
                request, "Booking cancelled. The case is back in the ready for panel list"
            )
            return redirect("panel:ready")
    _consulted(request, booking)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Cancel the booking",
            "person": booking.person,
            "back": reverse("panel:booking", args=[booking.pk]),
        },
    )


# Invitations ----------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def invitees(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    staff_form = AddStaffInviteeForm(staff=staff_choices())
    external_form = AddExternalInviteeForm()
    if request.method == "POST":
        if "staff-user" in request.POST:
            staff_form = AddStaffInviteeForm(request.POST, staff=staff_choices())
            form, fields = staff_form, {"user": "user"}
        else:
            external_form = AddExternalInviteeForm(request.POST)
            form, fields = (
                external_form,
                {"name": "name", "organisation": "organisation", "email": "email"},
            )
        if form.is_valid():
            try:
                invitee = panel_invitee_add(
                    booking=booking,
                    role=form.cleaned_data["role"],
                    by=request.user,
                    **{key: form.cleaned_data[name] for key, name in fields.items()},
                )
            except PanelError as error:
                form_error(form, error)
            else:
                messages.success(request, f"{invitee.display_name} added to the list")
                return redirect("panel:invitees", pk=booking.pk)
    _consulted(request, booking)
    _, empty_seats = seats_for(person=booking.person, triage_record=booking.triage_record)
    return render(
        request,
        "panel/invitees.html",
        {
            "booking": booking,
            "person": booking.person,
            "invitees": list(active_invitees(booking)),
            "empty_seats": empty_seats,
            "staff_form": staff_form,
            "external_form": external_form,
            "waiting": active_invitees(booking).filter(invited_at__isnull=True).count(),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def invitee_remove(request, pk, invitee_id):
    booking = panel_booking_get_for(request.user, pk)
    invitee = booking.invitees.filter(pk=invitee_id).first()
    if invitee is None:
        raise Http404("No such invitee")
    try:
        panel_invitee_remove(invitee=invitee, by=request.user)
    except PanelError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{invitee.display_name} removed from the list")
    return redirect("panel:invitees", pk=booking.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def invitations_send(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    try:
        sent = panel_invitations_send(booking=booking, by=request.user)
    except PanelError as error:
        return _to_booking(booking, error, request, error=True)
    return _to_booking(
        booking, f"Invitations sent to {sent} {'person' if sent == 1 else 'people'}", request
    )


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def deputy(request, pk, invitee_id):
    """An invitee sends a deputy in their place (or the case administrator records it)."""
    booking = panel_booking_get_for(request.user, pk)
    invitee = (
        booking.invitees.filter(pk=invitee_id, removed_at__isnull=True)
        .select_related("role")
        .first()
    )
    if invitee is None:
        raise Http404("No such invitee")
    if not (invitee.user_id == request.user.pk or request.user.has_perm(MANAGE)):
        return _to_booking(
            booking, "You can only nominate a deputy for your own seat", request, error=True
        )
    form = DeputyForm(
        request.POST if request.method == "POST" else None,
        staff=staff_choices().exclude(pk=invitee.user_id or 0),
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_deputy_nominate(
                invitee=invitee,
                by=request.user,
                deputy_user=form.cleaned_data["deputy_user"],
                deputy_name=form.cleaned_data["deputy_name"],
                deputy_email=form.cleaned_data["deputy_email"],
            )
        except PanelError as error:
            form_error(form, error)
        else:
            return _to_booking(booking, "Deputy nominated", request)
    _consulted(request, booking)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": f"Nominate a deputy for {invitee.display_name}",
            "intro": f"Seat: {invitee.role.name}. Your deputy is sent the invitation and can read the papers once they are released.",
            "person": booking.person,
            "back": reverse("panel:booking", args=[booking.pk]),
        },
    )
