"""Panel forms: minutes and the actions agreed at panel."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from complexcases.core.forms import GovukDateField

from ..models import PanelInvitee, PanelMinutes
from .common import _helper, _too_long

# Minutes and actions ----------------------------------------------------------------------------


ATTENDANCE_CHOICES = [("", "Not recorded"), *PanelInvitee.Attendance.choices]

AGENDA = [
    (
        "introductions",
        "1. Welcome and introductions",
        "Who is present. Record that the chair reminded everyone the panel does not replace MAPPA "
        "or other statutory panels.",
    ),
    ("case_overview", "2. Case overview", "Presented by the practitioner, POM or SPO."),
    ("questions_and_reflections", "3. Questions and reflections", ""),
    ("member_support", "4. How each member will support", ""),
    ("chair_summary", "5. Chair's summary of actions", "Needed before the minutes are finalised."),
    ("final_questions", "6. Final questions and close", ""),
]


class MinutesForm(forms.Form):
    everyone_attended = forms.BooleanField(
        label="Everyone invited attended",
        help_text="Then record only the exceptions below: who sent a deputy or gave apologies.",
        required=False,
    )
    mappa_reminder_given = forms.BooleanField(
        label="The chair reminded everyone that the panel does not replace MAPPA or other statutory panels",
        required=False,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why are the final minutes changing?",
        help_text="A new version is saved with your name and this reason; earlier versions stay readable.",
        max_length=500,
        required=False,
        error_messages=_too_long("The reason", 500),
    )

    def __init__(self, *args, invitees, final: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.final = final
        limits = {f.name: f.max_length for f in PanelMinutes._meta.fields}
        layout = []
        for name, label, hint in AGENDA:
            self.fields[name] = forms.CharField(
                label=label,
                help_text=hint,
                required=False,
                max_length=limits[name],
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages=_too_long(label.split(". ", 1)[1], limits[name]),
            )
            if name == "introductions":
                layout += [
                    Field.textarea(name, label_size=Size.MEDIUM),
                    Field.checkbox("mappa_reminder_given"),
                ]
            else:
                layout.append(Field.textarea(name, label_size=Size.MEDIUM))
        attendance_fields = []
        for invitee in invitees:
            key = f"attendance_{invitee.pk}"
            deputy = (
                f"; deputy {invitee.deputy_display_name}" if invitee.deputy_display_name else ""
            )
            self.fields[key] = forms.ChoiceField(
                label=f"{invitee.display_name} ({invitee.role.name}{deputy})",
                choices=ATTENDANCE_CHOICES,
                required=False,
                error_messages={"invalid_choice": "Choose attended, sent a deputy or apologies"},
            )
            attendance_fields.append(Field.select(key))
        layout.insert(
            0,
            Fieldset(
                Field.checkbox("everyone_attended"),
                *attendance_fields,
                legend="Attendance",
                legend_size=Size.MEDIUM,
            ),
        )
        layout.append(Field("version"))
        if final:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the final minutes are changing"
            )
            layout.append(Field.text("reason"))
        else:
            del self.fields["reason"]
        self.helper = _helper(*layout, submit="Save new version" if final else "Save draft")

    def attendance(self, invitees) -> dict[int, str]:
        """Each invitee's attendance; with "everyone attended", anyone not recorded attended."""
        unrecorded = (
            PanelInvitee.Attendance.ATTENDED if self.cleaned_data.get("everyone_attended") else ""
        )
        return {
            i.pk: self.cleaned_data.get(f"attendance_{i.pk}", "") or unrecorded for i in invitees
        }

    def content(self) -> dict:
        content = {name: self.cleaned_data.get(name, "") for name, _, _ in AGENDA}
        content["mappa_reminder_given"] = self.cleaned_data.get("mappa_reminder_given", False)
        return content


ACTION_ROWS = 3


class ActionForm(forms.Form):
    """One action of several (MoJ "add another"); a row left wholly empty is ignored."""

    description = forms.CharField(
        label="Action",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_too_long("The action", 1000),
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        required=False,
        empty_label="Someone outside the service",
        error_messages={"invalid_choice": "Choose an owner from the list"},
    )
    owner_name = forms.CharField(
        label="Owner outside the service: name and organisation",
        max_length=200,
        required=False,
        error_messages=_too_long("The owner's name", 200),
    )
    chaser = forms.ModelChoiceField(
        label="Who in the service chases this owner?",
        queryset=None,
        required=False,
        empty_label="Choose who chases",
        error_messages={"invalid_choice": "Choose who chases from the list"},
    )
    due_date = GovukDateField(
        label="Due date",
        help_text="For example, 27 1 2027",
        required=False,
        required_message="Enter the due date",
        real_date_message="The due date must be a real date",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        # The formset's prefix is "form-<index>": "Action 1" for index 0.
        index = (self.prefix or "form-0").rsplit("-", 1)[-1]
        number = int(index) + 1 if index.isdigit() else ""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.textarea("description"),
                Field.select("owner"),
                Field.text("owner_name"),
                Field.select("chaser"),
                Field("due_date"),
                legend=f"Action {number}",
                legend_size=Size.MEDIUM,
            )
        )
        for name in ("owner", "chaser"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda user: user.get_full_name()

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(
            data.get(name) for name in ("description", "owner", "owner_name", "chaser", "due_date")
        )

    def clean(self):
        cleaned = super().clean()
        if self.is_blank:
            return cleaned
        if not cleaned.get("description"):
            self.add_error("description", "Enter the action")
        if not cleaned.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", "Enter the due date")
        if not cleaned.get("owner"):
            if not cleaned.get("owner_name"):
                self.add_error(
                    "owner", "Choose the owner, or enter the name of an owner outside the service"
                )
            elif not cleaned.get("chaser"):
                self.add_error("chaser", "Choose who in the service chases this owner")
        return cleaned
