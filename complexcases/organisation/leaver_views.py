"""Passing a leaver's work on: preview what they hold, choose who takes each kind, confirm.

The kinds of work come from the apps that hold them (``organisation/leavers.py``).
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from complexcases.core.errors import form_error
from complexcases.core.registry import leaver_work_kinds

from .leavers import ReassignmentError, staff_work_counts, staff_work_reassign
from .models import User
from .roles import Role


class ReassignForm(forms.Form):
    """Who takes over each kind of work a leaver holds (one or more colleagues)."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, colleagues: dict, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        for work in leaver_work_kinds():
            kind, label = work.kind, work.form_label
            if not counts.get(kind):
                continue
            self.fields[kind] = forms.ModelChoiceField(
                label=f"{label} ({counts[kind]})",
                queryset=colleagues[kind],
                empty_label="Choose a colleague",
                error_messages={
                    "required": f"Choose who takes over: {label.lower()}",
                    "invalid_choice": "Choose a colleague from the list",
                },
            )
            self.fields[kind].label_from_instance = lambda user: (
                f"{user.get_full_name()} ({user.email})"
            )
            fields.append(Field.select(kind))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            *fields,
            Field("confirm"),
            Submit("submit", "Preview the changes", data_prevent_double_click="true"),
        )


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
    # Each kind of work goes only to someone whose role can hold it.
    kinds = leaver_work_kinds()
    colleagues = {work.kind: work.colleagues(leaver, staff) for work in kinds}
    form = ReassignForm(
        request.POST if request.method == "POST" else None, colleagues=colleagues, counts=counts
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        to = {
            work.kind: form.cleaned_data[work.kind]
            for work in kinds
            if work.kind in form.cleaned_data
        }
        if request.POST.get("confirmed") == "yes":
            try:
                moved = staff_work_reassign(leaver=leaver, to=to, by=request.user)
            except ReassignmentError as error:
                form_error(form, error)
            else:
                total = sum(moved.values())
                messages.success(
                    request,
                    f"{total} item{'s' if total != 1 else ''} passed on. Everyone affected has been told",
                )
                return redirect("organisation:reassign", user_id=leaver.pk)
        else:
            labels = {work.kind: work.form_label for work in kinds}
            preview = [(labels[kind], counts[kind], colleague) for kind, colleague in to.items()]
    return render(
        request,
        "organisation/reassign.html",
        {
            "leaver": leaver,
            "form": form,
            "counts": counts,
            "preview": preview,
            "nothing": not any(counts.values()),
        },
    )
