from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.forms import formset_factory
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complexcases.core.access_log import (
    Action,
    access_log_consultation,
    access_log_record,
    access_log_record_many,
)
from complexcases.core.errors import form_error, rebound
from complexcases.core.formatting import govuk_date, govuk_time_range
from complexcases.core.ndelius import ndelius_copy_page
from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from complexcases.screening.selectors import criteria_explained, latest_screening

from .forms import (
    ACTION_ROWS,
    AGENDA,
    ActionCloseForm,
    ActionUpdateForm,
    AddExternalInviteeForm,
    AddStaffInviteeForm,
    AdHocSessionForm,
    BookForm,
    DeputyForm,
    FollowUpForm,
    MinutesForm,
    MoveSessionForm,
    PaperForm,
    PatternForm,
    QdoForm,
    ReasonForm,
    ReassignForm,
)
from .forms import ActionForm as _ActionForm
from .models import PanelAction, PanelBooking, PanelMinutes, PanelPattern, PathwayClosure
from .ndelius import follow_up_contact_text
from .papers import KINDS
from .selectors import (
    ACTION_ORDER,
    ACTION_SCOPES,
    ACTION_TABS,
    action_due_label,
    action_owner_choices,
    action_scopes_for,
    active_invitees,
    due_label,
    earlier_actions,
    follow_up_get_for,
    follow_ups_visible_to,
    free_slots,
    is_panel_team,
    my_action_counts,
    panel_action_get_for,
    panel_booking_get_for,
    panel_paper_get_for,
    panel_session_get_for,
    panel_sessions_list,
    papers_open_to,
    papers_release_date,
    ready_for_panel,
    ready_record_get,
    seats_for,
    session_slots,
    staff_choices,
)
from .selectors import my_actions as my_actions_query
from .services import (
    ActionDraft,
    PanelError,
    StalePanelError,
    follow_up_reassign,
    follow_up_record,
    panel_action_close,
    panel_action_update,
    panel_actions_add,
    panel_booking_cancel,
    panel_booking_create,
    panel_deputy_nominate,
    panel_invitations_send,
    panel_invitee_add,
    panel_invitee_remove,
    panel_minutes_finalise,
    panel_minutes_save,
    panel_paper_add,
    panel_paper_remove,
    panel_pattern_create,
    panel_session_cancel,
    panel_session_create,
    panel_session_move,
    pathway_close,
    staff_work_counts,
    staff_work_reassign,
)

MANAGE = "panel.manage_panel"
AGENDA_LABELS = [(name, label) for name, label, _ in AGENDA]
VIEW_CASE = "panel.view_panel_case"


def _slot_label(slot) -> str:
    return f"{govuk_date(slot.starts_at)}, {govuk_time_range(slot.starts_at, slot.ends_at)}"


def _consulted(request, booking, record_type="panel case") -> None:
    access_log_consultation(
        request=request, person=booking.person, record_type=record_type, record_id=booking.pk
    )


def _to_booking(booking, message=None, request=None, error=False):
    if message and request:
        (messages.error if error else messages.success)(request, str(message))
    return redirect("panel:booking", pk=booking.pk)


# Sessions -------------------------------------------------------------------------------------


@login_required
@permission_required("panel.view_panelsession", raise_exception=True)
@require_GET
def sessions(request):
    """Upcoming (or past) panel sessions with how many slots are booked; no names on this page."""
    past = request.GET.get("show") == "past"
    rows = []
    for session in panel_sessions_list(user=request.user, past=past):
        slots = list(session.slots.all())
        booked = sum(1 for slot in slots if slot.live_bookings)
        rows.append((session, slots, booked))
    return render(
        request,
        "panel/sessions.html",
        {"rows": rows, "past": past, "can_manage": request.user.has_perm(MANAGE)},
    )


@login_required
@permission_required("panel.view_panelsession", raise_exception=True)
@require_GET
def session_detail(request, pk):
    """The session's agenda: its slots, the case in each, who is invited."""
    session = panel_session_get_for(request.user, pk)
    team = is_panel_team(request.user)
    slots = session_slots(session)
    visible = set()
    if not team:
        from .selectors import panel_bookings_visible_to

        visible = set(
            panel_bookings_visible_to(request.user)
            .filter(slot__session=session)
            .values_list("pk", flat=True)
        )
    rows = [
        (slot, booking, booking is not None and (team or booking.pk in visible))
        for slot, booking in slots
    ]
    shown = [booking.person for _, booking, can_see in rows if booking and can_see]
    if shown:
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="panel session",
            people=shown,
            detail=f"Panel session {session.pk} agenda",
        )
    return render(
        request,
        "panel/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "can_manage": request.user.has_perm(MANAGE),
            "release_date": papers_release_date(session),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = AdHocSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = panel_session_create(
                region=form.cleaned_data["region"],
                starts_at=form.starts_at(),
                slot_count=form.cleaned_data["slot_count"],
                slot_minutes=form.cleaned_data["slot_minutes"],
                by=request.user,
            )
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(request, "Session created")
            return redirect("panel:session", pk=session.pk)
    return render(
        request,
        "panel/form_page.html",
        {"form": form, "page_title": "Create a panel session", "back": reverse("panel:sessions")},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_GET
def patterns(request):
    rows = PanelPattern.objects.select_related("region").filter(disabled_on__isnull=True)
    return render(request, "panel/patterns.html", {"patterns": rows})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def pattern_create(request):
    form = PatternForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pattern = panel_pattern_create(**form.cleaned_data, by=request.user)
        made = pattern.sessions.count()
        messages.success(
            request,
            f"Recurring panel saved: {pattern.description}. {made} session{'s' if made != 1 else ''} made",
        )
        return redirect("panel:patterns")
    return render(
        request,
        "panel/form_page.html",
        {"form": form, "page_title": "Set up a recurring panel", "back": reverse("panel:patterns")},
    )


def _session_change(request, pk, *, form_class, service, page_title, done, **form_kwargs):
    session = panel_session_get_for(request.user, pk)
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = {"reason": form.cleaned_data["reason"]}
            if hasattr(form, "starts_at"):
                kwargs["starts_at"] = form.starts_at()
            service(session=session, by=request.user, **kwargs)
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("panel:session", pk=session.pk)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": page_title,
            "caption": f"Panel session, {govuk_date(session.starts_at)}",
            "back": reverse("panel:session", args=[session.pk]),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    return _session_change(
        request,
        pk,
        form_class=ReasonForm,
        service=panel_session_cancel,
        page_title="Cancel the panel session",
        done="Session cancelled. Its cases are back in the ready for panel list, and everyone invited has been told",
        label="Why is the session cancelled?",
        submit="Cancel session and tell everyone",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_move(request, pk):
    return _session_change(
        request,
        pk,
        form_class=MoveSessionForm,
        service=panel_session_move,
        page_title="Move the panel session",
        done="Session moved and updates sent",
    )


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
            "carried_over": earlier_actions(booking).filter(status="open"),
            "follow_ups": booking.follow_ups.select_related("qdo"),
            "closed": PathwayClosure.objects.filter(booking=booking).first(),
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


# Papers ---------------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def paper_upload(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    form = PaperForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_paper_add(
                booking=booking,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except PanelError as error:
            form.add_error("file", str(error))
        else:
            return _to_booking(booking, "Paper attached", request)
    _consulted(request, booking)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Attach a paper",
            "multipart": True,
            "person": booking.person,
            "intro": _papers_intro(booking),
            "back": reverse("panel:booking", args=[booking.pk]),
        },
    )


def _papers_intro(booking) -> str:
    if booking.slot.session.papers_released_at:
        return "Papers for this session are released: invitees can read a new paper straight away."
    day = papers_release_date(booking.slot.session)
    return f"Invitees can read papers from {govuk_date_day(day)}."


def govuk_date_day(day) -> str:
    return f"{day:%A %-d %B %Y}"


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def paper(request, pk, paper_id):
    """Download a paper: the team, or an invitee once released; every view logged."""
    booking = panel_booking_get_for(request.user, pk)
    found = panel_paper_get_for(request.user, booking, paper_id)
    access_log_record(
        user=request.user,
        action=Action.CONSULTATION,
        record_type="panel paper",
        person=booking.person,
        record_id=found.pk,
        detail="Panel paper opened",
    )
    _, content_type = KINDS[found.kind]
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(found.title) or 'paper'}.{found.kind}",
        content_type=content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def paper_remove(request, pk, paper_id):
    booking = panel_booking_get_for(request.user, pk)
    found = booking.papers.filter(pk=paper_id).first()
    if found is None:
        raise Http404("No such paper")
    try:
        panel_paper_remove(paper=found, by=request.user)
    except PanelError as error:
        return _to_booking(booking, error, request, error=True)
    return _to_booking(booking, "Paper removed", request)


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def pack(request, pk):
    """The case summary pack, built from the record, print-friendly."""
    booking = panel_booking_get_for(request.user, pk)
    if not papers_open_to(request.user, booking):
        raise Http404("The papers are not released yet")
    _consulted(request, booking, "panel case summary pack")
    screening = latest_screening(booking.person)
    triage_record = booking.triage_record
    return render(
        request,
        "panel/pack.html",
        {
            "booking": booking,
            "person": booking.person,
            "screening": screening,
            "criteria": criteria_explained(screening),
            "triage_record": triage_record,
            "triage_request": triage_record.request if triage_record else None,
            "blockers": triage_record.blockers_found.prefetch_related("themes")
            if triage_record
            else [],
            "earlier_actions": earlier_actions(booking),
            "slot_label": _slot_label(booking.slot),
            "generated_at": timezone.now(),
        },
    )


# Minutes and actions --------------------------------------------------------------------------


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def minutes(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    _consulted(request, booking, "panel minutes")
    found = PanelMinutes.objects.filter(booking=booking).first()
    can_manage = request.user.has_perm(MANAGE)
    if found is not None and found.status == PanelMinutes.Status.DRAFT and not can_manage:
        found = None  # drafts are the case administrator's until final
    return render(
        request,
        "panel/minutes.html",
        {
            "booking": booking,
            "person": booking.person,
            "minutes": found,
            "versions": found.versions.select_related("finalised_by") if found else [],
            "invitees": list(active_invitees(booking)),
            "actions": booking.actions.select_related("owner", "chaser").prefetch_related(
                "updates"
            ),
            "earlier_actions": earlier_actions(booking).filter(status="open"),
            "can_manage": can_manage,
            "slot_label": _slot_label(booking.slot),
            "sections": [(label, getattr(found, name)) for name, label in AGENDA_LABELS]
            if found
            else [],
        },
    )


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
@require_GET
def minutes_version(request, pk, number):
    booking = panel_booking_get_for(request.user, pk)
    found = PanelMinutes.objects.filter(booking=booking).first()
    version = (
        found.versions.filter(number=number).select_related("finalised_by").first()
        if found
        else None
    )
    if version is None:
        raise Http404("No such version")
    _consulted(request, booking, "panel minutes")
    return render(
        request,
        "panel/minutes_version.html",
        {
            "booking": booking,
            "person": booking.person,
            "version": version,
            "latest": found.version,
            "sections": [(label, version.content.get(name, "")) for name, label in AGENDA_LABELS],
            "slot_label": _slot_label(booking.slot),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    found = PanelMinutes.objects.filter(booking=booking).first()
    final = found is not None and found.status == PanelMinutes.Status.FINAL
    people = list(active_invitees(booking))
    if request.method == "POST":
        form = MinutesForm(request.POST, invitees=people, final=final)
        if form.is_valid():
            try:
                panel_minutes_save(
                    booking=booking,
                    content=form.content(),
                    attendance=form.attendance(people),
                    by=request.user,
                    version=form.cleaned_data.get("version") or None,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except PanelError as error:
                if isinstance(error, StalePanelError):
                    data = request.POST.copy()
                    data["version"] = PanelMinutes.objects.get(
                        booking=booking
                    ).updated_at.isoformat()
                    form = MinutesForm(data, invitees=people, final=final)
                    form.is_valid()
                form_error(form, error)
            else:
                messages.success(
                    request, "New version of the minutes saved" if final else "Draft minutes saved"
                )
                return redirect("panel:minutes", pk=booking.pk)
    else:
        initial = {f"attendance_{i.pk}": i.attendance for i in people}
        if found is not None:
            initial |= {name: getattr(found, name) for name in PanelMinutes.TEXT_FIELDS}
            initial |= {
                "mappa_reminder_given": found.mappa_reminder_given,
                "version": found.updated_at.isoformat(),
            }
        if found is None:
            initial["version"] = "new"
        form = MinutesForm(initial=initial, invitees=people, final=final)
    _consulted(request, booking, "panel minutes")
    return render(
        request,
        "panel/minutes_edit.html",
        {
            "form": form,
            "booking": booking,
            "person": booking.person,
            "final": final,
            "earlier_actions": earlier_actions(booking).filter(status="open"),
            "slot_label": _slot_label(booking.slot),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def minutes_finalise(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    try:
        panel_minutes_finalise(
            booking=booking, by=request.user, version=request.POST.get("version") or None
        )
    except PanelError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Minutes finalised. The practitioner, their SPO and the heads of service have been sent a link",
        )
    return redirect("panel:minutes", pk=booking.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def actions_add(request, pk):
    """Several actions at once; "Add another action" keeps what was typed and adds a row."""
    booking = panel_booking_get_for(request.user, pk)
    staff = action_owner_choices()
    Formset = formset_factory(_ActionForm, extra=0, min_num=1, max_num=20)
    adding = False
    if request.method == "POST":
        formset = Formset(request.POST, form_kwargs={"staff": staff})
        if "add_another" in request.POST:
            data = request.POST.copy()
            data["form-TOTAL_FORMS"] = str(int(data.get("form-TOTAL_FORMS", 1)) + 1)
            formset = Formset(data, form_kwargs={"staff": staff})
            adding = True
        elif formset.is_valid():
            drafts = [
                ActionDraft(
                    description=form.cleaned_data["description"],
                    due_date=form.cleaned_data["due_date"],
                    owner=form.cleaned_data["owner"],
                    owner_name=form.cleaned_data["owner_name"],
                    chaser=form.cleaned_data["chaser"],
                )
                for form in formset
                if not form.is_blank
            ]
            if not drafts:
                formset.forms[0].add_error("description", "Enter at least one action")
            else:
                try:
                    created = panel_actions_add(booking=booking, actions=drafts, by=request.user)
                except PanelError as error:
                    formset.forms[0].add_error(None, str(error))
                else:
                    messages.success(
                        request, f"{len(created)} action{'s' if len(created) != 1 else ''} recorded"
                    )
                    return redirect("panel:minutes", pk=booking.pk)
    else:
        formset = Formset(initial=[{}] * ACTION_ROWS, form_kwargs={"staff": staff})
    _consulted(request, booking)
    show_errors = request.method == "POST" and not adding
    return render(
        request,
        "panel/actions_add.html",
        {
            "formset": formset,
            "booking": booking,
            "person": booking.person,
            "show_errors": show_errors,
            "slot_label": _slot_label(booking.slot),
        },
    )


# After the panel: my actions ------------------------------------------------------------------


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_GET
def my_actions(request):
    """Every signed-in user: the actions they own or chase (SPOs: their team; the team: all)."""
    scopes = action_scopes_for(request.user)
    scope = request.GET.get("scope") if request.GET.get("scope") in scopes else "mine"
    tab = request.GET.get("tab") if request.GET.get("tab") in ACTION_TABS else "open"
    order = request.GET.get("order") if request.GET.get("order") in ACTION_ORDER else "due"
    actions = list(my_actions_query(user=request.user, tab=tab, scope=scope, order=order)[:200])
    if actions:
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="panel action",
            people=list({a.person_id: a.person for a in actions}.values()),
            detail="My actions",
        )
    today = timezone.localdate()
    counts = my_action_counts(user=request.user, scope=scope)
    return render(
        request,
        "panel/my_actions.html",
        {
            "rows": [(a, *action_due_label(a, today)) for a in actions],
            "tab": tab,
            "tab_label": ACTION_TABS[tab],
            "tab_items": [(key, label, counts[key]) for key, label in ACTION_TABS.items()],
            "scope": scope,
            "scope_label": ACTION_SCOPES[scope],
            "scopes": {key: ACTION_SCOPES[key] for key in scopes},
            "order": order,
        },
    )


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_GET
def action(request, pk):
    found = panel_action_get_for(request.user, pk)
    access_log_consultation(
        request=request, person=found.person, record_type="panel action", record_id=found.pk
    )
    return _action_page(request, found)


def _action_page(request, found, update_form=None, close_form=None, status=200):
    version = found.updated_at.isoformat()
    label, tag = action_due_label(found)
    can_update = _can_work_on(request.user, found)
    return render(
        request,
        "panel/action.html",
        {
            "action": found,
            "person": found.person,
            "label": label,
            "tag": tag,
            "updates": found.updates.select_related("by"),
            "can_update": can_update and found.status == "open",
            "update_form": update_form or ActionUpdateForm(initial={"version": version}),
            "close_form": close_form or ActionCloseForm(initial={"version": version}),
        },
        status=status,
    )


def _can_work_on(user, found) -> bool:
    """The owner, the chaser, the practitioner or SPO of the case, and the Complex Cases team."""
    return (
        user.pk in (found.owner_id, found.chaser_id)
        or user.has_perm(MANAGE)
        or found.person.practitioner_id == user.pk
        or found.person.practitioner.line_manager_id == user.pk
    )


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_POST
def action_update(request, pk):
    found = panel_action_get_for(request.user, pk)
    if not _can_work_on(request.user, found):
        messages.error(
            request,
            "Only the owner, the chaser, the case's practitioner or SPO, or the Complex Cases "
            "team can update this action",
        )
        return redirect("panel:action", pk=found.pk)
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            panel_action_update(
                action=found,
                note=form.cleaned_data["note"],
                by=request.user,
                version=form.cleaned_data["version"] or None,
            )
        except PanelError as error:
            form = rebound(ActionUpdateForm, request, found, error, version_field="update-version")
        else:
            messages.success(request, "Update added")
            return redirect("panel:action", pk=found.pk)
    found.refresh_from_db()
    return _action_page(request, found, update_form=form)


@login_required
@permission_required("panel.view_panelaction", raise_exception=True)
@require_POST
def action_complete(request, pk):
    found = panel_action_get_for(request.user, pk)
    if not _can_work_on(request.user, found):
        messages.error(
            request,
            "Only the owner, the chaser, the case's practitioner or SPO, or the Complex Cases "
            "team can update this action",
        )
        return redirect("panel:action", pk=found.pk)
    form = ActionCloseForm(request.POST)
    if form.is_valid():
        try:
            panel_action_close(
                action=found,
                status=form.cleaned_data["status"],
                outcome_note=form.cleaned_data["outcome_note"],
                by=request.user,
                version=form.cleaned_data["version"] or None,
            )
        except PanelError as error:
            form = rebound(ActionCloseForm, request, found, error, version_field="close-version")
        else:
            closed = (
                "completed" if form.cleaned_data["status"] == "done" else "closed: no longer needed"
            )
            messages.success(request, f"Action {closed}")
            return redirect("panel:my-actions")
    found.refresh_from_db()
    return _action_page(request, found, close_form=form)


# After the panel: follow-ups ------------------------------------------------------------------


@login_required
@permission_required("panel.view_followup", raise_exception=True)
@require_GET
def follow_ups(request):
    """Check-ins due: the QDO's own first, or everyone's."""
    mine = request.GET.get("show") != "all"
    rows = follow_ups_visible_to(request.user).filter(status="scheduled")
    if mine:
        rows = rows.filter(qdo=request.user)
    rows = list(rows.order_by("due_on", "pk")[:200])
    if rows:
        access_log_record_many(
            user=request.user,
            action=Action.CONSULTATION,
            record_type="follow-up",
            people=list({f.person_id: f.person for f in rows}.values()),
            detail="Follow-ups due",
        )
    today = timezone.localdate()
    return render(
        request,
        "panel/follow_ups.html",
        {"rows": [(f, *due_label(f.due_on, today)) for f in rows], "mine": mine},
    )


@login_required
@permission_required("panel.view_followup", raise_exception=True)
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    found = follow_up_get_for(request.user, pk)
    actions = list(PanelAction.objects.filter(person=found.person).order_by("due_date", "pk"))
    # The assigned QDO records the check-in (or the team, if the QDO is away).
    can_record = (
        found.status == "scheduled"
        and request.user.has_perm("panel.change_followup")
        and (found.qdo_id in (None, request.user.pk) or request.user.has_perm(MANAGE))
    )
    form = None
    if can_record:
        if request.method == "POST":
            form = FollowUpForm(request.POST, actions=actions)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    follow_up_record(
                        follow_up=found,
                        progress=form.progress(actions),
                        developments=data["developments"],
                        wellbeing=data["wellbeing"],
                        wellbeing_notes=data["wellbeing_notes"],
                        further_support=data["further_support"],
                        early_outcomes=list(data["early_outcomes"]),
                        other_outcome=data["other_outcome"],
                        next_check_in_weeks=data["next_check_in_weeks"],
                        by=request.user,
                        version=data["version"] or None,
                    )
                except PanelError as error:
                    form = rebound(
                        FollowUpForm,
                        request,
                        found,
                        error,
                        version_field="version",
                        actions=actions,
                    )
                else:
                    messages.success(request, "Check-in recorded")
                    return redirect("panel:follow-up", pk=found.pk)
        else:
            form = FollowUpForm(initial={"version": found.updated_at.isoformat()}, actions=actions)
    elif request.method == "POST":
        messages.error(request, "This follow-up is already recorded")
        return redirect("panel:follow-up", pk=found.pk)
    access_log_consultation(
        request=request, person=found.person, record_type="follow-up", record_id=found.pk
    )
    return render(
        request,
        "panel/follow_up.html",
        {
            "follow_up": found,
            "person": found.person,
            "form": form,
            "actions": actions,
            "progress": found.progress.select_related("action"),
            "outcomes": found.early_outcomes.all(),
            "closed": PathwayClosure.objects.filter(booking=found.booking).first(),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def follow_up_assign(request, pk):
    found = follow_up_get_for(request.user, pk)
    qdos = User.objects.filter(
        is_active=True, groups__name=Role.QUALITY_DEVELOPMENT_OFFICER
    ).order_by("last_name")
    form = QdoForm(request.POST if request.method == "POST" else None, queryset=qdos)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_reassign(follow_up=found, qdo=form.cleaned_data["qdo"], by=request.user)
        except PanelError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"Follow-up assigned to {form.cleaned_data['qdo'].get_full_name()}"
            )
            return redirect("panel:follow-up", pk=found.pk)
    access_log_consultation(
        request=request, person=found.person, record_type="follow-up", record_id=found.pk
    )
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Change the QDO for this check-in",
            "person": found.person,
            "back": reverse("panel:follow-up", args=[found.pk]),
        },
    )


@login_required
@permission_required("panel.view_followup", raise_exception=True)
@require_GET
def follow_up_ndelius(request, pk):
    found = follow_up_get_for(request.user, pk)
    if found.status != "completed":
        messages.error(request, "Record the check-in first")
        return redirect("panel:follow-up", pk=found.pk)
    return ndelius_copy_page(
        request,
        person=found.person,
        record_type="follow-up",
        record_id=found.pk,
        text=follow_up_contact_text(found),
        heading="Copy the check-in into nDelius",
        back_url=reverse("panel:follow-up", args=[found.pk]),
        back_label="Back to the check-in",
        kind="follow-up",
        person_link=True,
    )


@login_required
@permission_required("panel.add_pathwayclosure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def pathway_close_view(request, pk):
    booking = panel_booking_get_for(request.user, pk)
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label="Why is the case closing on the pathway?",
        submit="Close the case on the pathway",
    )
    if request.method == "POST" and form.is_valid():
        try:
            pathway_close(booking=booking, reason=form.cleaned_data["reason"], by=request.user)
        except PanelError as error:
            form_error(form, error)
        else:
            return _to_booking(booking, "Case closed on the pathway", request)
    _consulted(request, booking)
    return render(
        request,
        "panel/form_page.html",
        {
            "form": form,
            "page_title": "Close the case on the pathway",
            "intro": "Scheduled follow-up check-ins are cancelled. The case's history stays.",
            "person": booking.person,
            "back": reverse("panel:booking", args=[booking.pk]),
        },
    )


# Staff changes --------------------------------------------------------------------------------


def _leaver_for(user, user_id):
    """A system administrator may reassign anyone's work; an SPO their own team's."""
    leaver = User.objects.filter(pk=user_id).select_related("team").first()
    if leaver is None:
        raise Http404("No such member of staff")
    if user.groups.filter(name=Role.SYSTEM_ADMINISTRATOR).exists() or user.is_superuser:
        return leaver
    if leaver.line_manager_id == user.pk:  # an SPO passes on the work of the people they manage
        return leaver
    raise Http404("No such member of staff")


@login_required
@permission_required("panel.reassign_work", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reassign(request, user_id):
    """Preview what a leaver holds, choose who takes each kind over, confirm."""
    leaver = _leaver_for(request.user, user_id)
    counts = staff_work_counts(leaver=leaver)
    staff = (
        User.objects.filter(is_active=True)
        .exclude(pk=leaver.pk)
        .order_by("last_name", "first_name")
    )
    if leaver.pdu_id:
        staff = staff.filter(Q(pdu_id=leaver.pdu_id) | Q(pdu__isnull=True))

    def with_role(*roles):
        return staff.filter(groups__name__in=roles).distinct()

    # Each kind of work goes only to someone whose role can hold it.
    owners = action_owner_choices().exclude(pk=leaver.pk)
    colleagues = {
        "actions": owners,
        "chasing": owners,
        "follow_ups": with_role(Role.QUALITY_DEVELOPMENT_OFFICER),
        "caseload": with_role(Role.PROBATION_PRACTITIONER, Role.SENIOR_PROBATION_OFFICER),
        "jcw": with_role(Role.OPD_CLINICIAN, Role.PROBATION_PRACTITIONER),
    }

    form = ReassignForm(
        request.POST if request.method == "POST" else None, colleagues=colleagues, counts=counts
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        to = {
            kind: form.cleaned_data[kind]
            for kind, _ in ReassignForm.KINDS
            if kind in form.cleaned_data
        }
        if request.POST.get("confirmed") == "yes":
            try:
                moved = staff_work_reassign(leaver=leaver, to=to, by=request.user)
            except PanelError as error:
                form_error(form, error)
            else:
                total = sum(moved.values())
                messages.success(
                    request,
                    f"{total} item{'s' if total != 1 else ''} passed on. Everyone affected has been told",
                )
                return redirect("panel:reassign", user_id=leaver.pk)
        else:
            labels = dict(ReassignForm.KINDS)
            preview = [(labels[kind], counts[kind], colleague) for kind, colleague in to.items()]
    return render(
        request,
        "panel/reassign.html",
        {
            "leaver": leaver,
            "form": form,
            "counts": counts,
            "preview": preview,
            "nothing": not any(counts.values()),
        },
    )
