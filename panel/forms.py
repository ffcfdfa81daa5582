from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings

from complexcases.core.formatting import megabytes
from complexcases.core.forms import GovukDateField, parse_time
from complexcases.organisation.models import Region
from triage.forms import ScheduleForm

from .models import EarlyOutcome, FollowUp, PanelInvitee, PanelMinutes, PanelPattern, PanelRole


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit, data_prevent_double_click="true"))
    return helper


def _too_long(noun: str, max_length: int) -> dict:
    return {"max_length": f"{noun} must be {max_length:,} characters or fewer"}


EMAIL_ERRORS = {"invalid": "Enter an email address in the correct format, like name@example.com"}


class RegionField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Region.objects.filter(disabled_on__isnull=True).order_by("name"),
            label="Region",
            empty_label="Choose a region",
            error_messages={
                "required": "Choose the region",
                "invalid_choice": "Choose a region from the list",
            },
            **kwargs,
        )


class SlotsMixin(forms.Form):
    slot_count = forms.IntegerField(
        label="Number of slots",
        initial=4,
        min_value=1,
        max_value=8,
        error_messages={
            "required": "Enter the number of slots",
            "invalid": "The number of slots must be a number, like 4",
            "min_value": "A session needs at least 1 slot",
            "max_value": "A session can have at most 8 slots",
        },
    )
    slot_minutes = forms.IntegerField(
        label="Length of each slot in minutes",
        initial=45,
        min_value=15,
        max_value=120,
        error_messages={
            "required": "Enter the length of each slot in minutes",
            "invalid": "The length must be a number of minutes, like 45",
            "min_value": "A slot must be at least 15 minutes",
            "max_value": "A slot must be 120 minutes or shorter",
        },
    )


class PatternForm(SlotsMixin):
    region = RegionField()
    week = forms.TypedChoiceField(
        label="Which week of the month?",
        choices=PanelPattern.Week.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which week of the month"},
    )
    weekday = forms.TypedChoiceField(
        label="Which day?",
        choices=PanelPattern.Weekday.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the day of the week"},
    )
    start_time = forms.CharField(
        label="Start time",
        help_text="For example, 10am or 2:30pm",
        max_length=10,
        error_messages={"required": "Enter the start time"},
    )
    months_ahead = forms.IntegerField(
        label="How many months ahead should sessions be made?",
        initial=3,
        min_value=1,
        max_value=12,
        error_messages={
            "required": "Enter how many months ahead",
            "invalid": "Enter a number of months, like 3",
            "min_value": "Enter at least 1 month",
            "max_value": "Enter 12 months or fewer",
        },
    )

    def clean_start_time(self):
        parsed = parse_time(self.cleaned_data["start_time"])
        if parsed is None:
            raise forms.ValidationError("Enter the start time like 10am, 2:30pm or 14:30")
        return parsed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_time"].initial = "10am"
        self.helper = _helper(
            Field.select("region"),
            Field.radios("week", legend_size=Size.SMALL, inline=True),
            Field.radios("weekday", legend_size=Size.SMALL, inline=True),
            Field.text("start_time", field_width=10),
            Field.text("slot_count", field_width=3),
            Field.text("slot_minutes", field_width=3),
            Field.text("months_ahead", field_width=3),
            submit="Save and make sessions",
        )


class AdHocSessionForm(ScheduleForm, SlotsMixin):
    region = RegionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["duration_minutes"]
        self.fields["meeting_date"].label = "Date"
        self.helper = _helper(
            Field.select("region"),
            Field("meeting_date"),
            Field.text("meeting_time", field_width=10),
            Field.text("slot_count", field_width=3),
            Field.text("slot_minutes", field_width=3),
            submit="Create session",
        )


class MoveSessionForm(ScheduleForm):
    reason = forms.CharField(
        label="Why is the session moving?",
        help_text="This stays in the service; the email says only that the time has changed.",
        max_length=500,
        error_messages={
            "required": "Enter why the session is moving",
            **_too_long("The reason", 500),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["duration_minutes"]
        self.helper = _helper(
            Field("meeting_date"),
            Field.text("meeting_time", field_width=10),
            Field.text("reason"),
            submit="Move session and send updates",
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason", **_too_long("The reason", 500)},
    )

    def __init__(self, *args, label: str, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.helper = _helper(Field.textarea("reason"), submit=submit)


class BookForm(forms.Form):
    slot = forms.ChoiceField(
        label="Choose a slot",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a slot",
            "invalid_choice": "That slot is no longer free. Select another slot",
        },
    )

    def __init__(self, *args, slot_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices
        self.helper = _helper(
            Field.radios("slot", legend_size=Size.MEDIUM), submit="Book into this slot"
        )


class AddStaffInviteeForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Member of staff",
        queryset=None,
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Choose a member of staff",
            "invalid_choice": "Choose a member of staff from the list",
        },
    )
    role = forms.ModelChoiceField(
        label="Seat at the panel",
        queryset=PanelRole.objects.filter(disabled_on__isnull=True),
        empty_label="Choose a seat",
        error_messages={"required": "Choose the seat", "invalid_choice": "Choose a seat"},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, prefix="staff", **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.email})"
        )
        self.helper = _helper(Field.select("user"), Field.select("role"), submit="Add to the list")


class AddExternalInviteeForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter their full name", **_too_long("The name", 200)},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages={
            "required": "Enter their organisation",
            **_too_long("The organisation", 200),
        },
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": "Enter their email address", **EMAIL_ERRORS},
    )
    role = forms.ModelChoiceField(
        label="Seat at the panel",
        queryset=PanelRole.objects.filter(disabled_on__isnull=True),
        empty_label="Choose a seat",
        error_messages={"required": "Choose the seat", "invalid_choice": "Choose a seat"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="external", **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.text("organisation"),
            Field.text("email", field_width=20),
            Field.select("role"),
            submit="Add someone outside the service",
        )


class DeputyForm(forms.Form):
    deputy_user = forms.ModelChoiceField(
        label="A member of staff",
        queryset=None,
        required=False,
        empty_label="Choose a member of staff",
        error_messages={"invalid_choice": "Choose a member of staff from the list"},
    )
    deputy_name = forms.CharField(
        label="Or, someone outside the service: full name",
        max_length=200,
        required=False,
        error_messages=_too_long("The name", 200),
    )
    deputy_email = forms.EmailField(
        label="Their email address", required=False, error_messages=EMAIL_ERRORS
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy_user"].queryset = staff
        self.fields["deputy_user"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.email})"
        )
        self.helper = _helper(
            Field.select("deputy_user"),
            Field.text("deputy_name"),
            Field.text("deputy_email", field_width=20),
            submit="Nominate deputy",
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("deputy_user") and "deputy_email" not in self.errors:
            if not cleaned.get("deputy_name"):
                self.add_error(
                    "deputy_user",
                    "Choose a deputy, or enter the name and email of someone outside the service",
                )
            elif not cleaned.get("deputy_email"):
                self.add_error("deputy_email", "Enter the deputy's email address")
        return cleaned


class PaperForm(forms.Form):
    title = forms.CharField(
        label="Title",
        help_text="For example, OASys summary or psychology report. Do not include the person's name.",
        max_length=200,
        error_messages={"required": "Enter a title for the paper", **_too_long("The title", 200)},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word (.docx), OpenDocument text (.odt) or plain text.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "PDF, Word (.docx), OpenDocument text (.odt) or plain text, smaller than "
            f"{megabytes(settings.PANEL_PAPER_MAX_BYTES)}."
        )
        self.helper = _helper(Field.text("title"), Field("file"), submit="Attach paper")


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


# After the panel ---------------------------------------------------------------------------------


class ActionUpdateForm(forms.Form):
    note = forms.CharField(
        label="What has happened?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what has happened", **_too_long("The update", 2000)},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="update", **kwargs)
        self.helper = _helper(Field.textarea("note"), Field("version"), submit="Add update")


class ActionCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Is the action done?",
        choices=[("done", "Done"), ("not_needed", "No longer needed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is done or no longer needed"},
    )
    outcome_note = forms.CharField(
        label="Outcome",
        help_text="What was achieved, or why the action is no longer needed.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the outcome", **_too_long("The outcome", 2000)},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="close", **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Field.textarea("outcome_note"),
            Field("version"),
            submit="Complete action",
        )


class FollowUpForm(forms.Form):
    developments = forms.CharField(
        label="Developments in the case",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_too_long("Developments", 3000),
    )
    wellbeing = forms.ChoiceField(
        label="How is the practitioner?",
        choices=FollowUp.Wellbeing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the practitioner is"},
    )
    wellbeing_notes = forms.CharField(
        label="Notes on the practitioner's wellbeing",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long("The wellbeing notes", 2000),
    )
    further_support = forms.ChoiceField(
        label="Is further support needed?",
        choices=FollowUp.FurtherSupport.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether further support is needed"},
    )
    early_outcomes = forms.ModelMultipleChoiceField(
        label="Early outcomes",
        help_text="Select all that apply.",
        queryset=EarlyOutcome.objects.filter(disabled_on__isnull=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select early outcomes from the list"},
    )
    other_outcome = forms.CharField(
        label="If other, what?",
        max_length=300,
        required=False,
        error_messages=_too_long("The other outcome", 300),
    )
    next_check_in_weeks = forms.IntegerField(
        label="Book another check-in in how many weeks? (optional)",
        required=False,
        min_value=1,
        max_value=26,
        error_messages={
            "invalid": "Enter a number of weeks, like 4",
            "min_value": "Enter at least 1 week",
            "max_value": "Enter 26 weeks or fewer",
        },
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        progress = []
        for action in actions:
            name = f"progress_{action.pk}"
            self.fields[name] = forms.CharField(
                label=f"{action.description} (due {action.due_date:%-d %b %Y}, {action.get_status_display().lower()})",
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages=_too_long("The progress note", 1000),
            )
            progress.append(Field.textarea(name))
        layout = []
        if progress:
            layout.append(
                Fieldset(*progress, legend="Progress on each action", legend_size=Size.MEDIUM)
            )
        layout += [
            Field.textarea("developments"),
            Field.radios("wellbeing", legend_size=Size.SMALL),
            Field.textarea("wellbeing_notes"),
            Field.radios("further_support", legend_size=Size.SMALL),
            Field.checkboxes("early_outcomes", legend_size=Size.SMALL, small=True),
            Field.text("other_outcome"),
            Field.text("next_check_in_weeks", field_width=3),
            Field("version"),
        ]
        self.helper = _helper(*layout, submit="Save check-in")

    def progress(self, actions) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"progress_{a.pk}", "") for a in actions}

    def clean(self):
        cleaned = super().clean()
        outcomes = {o.name for o in cleaned.get("early_outcomes") or []}
        if "Other" in outcomes and not cleaned.get("other_outcome"):
            self.add_error("other_outcome", "Describe the other early outcome")
        return cleaned


class QdoForm(forms.Form):
    qdo = forms.ModelChoiceField(
        label="Quality development officer",
        queryset=None,
        empty_label="Choose a QDO",
        error_messages={"required": "Choose a QDO", "invalid_choice": "Choose a QDO from the list"},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qdo"].queryset = queryset
        self.fields["qdo"].label_from_instance = lambda user: user.get_full_name()
        self.helper = _helper(Field.select("qdo"), submit="Assign")


class ReassignForm(forms.Form):
    """Who takes over each kind of work a leaver holds (one or more colleagues)."""

    KINDS = [
        ("actions", "Open actions they own"),
        ("chasing", "Actions they chase for owners outside the service"),
        ("follow_ups", "Follow-up check-ins"),
        ("caseload", "People on their caseload"),
        ("jcw", "Open joint case work episodes"),
    ]
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, colleagues: dict, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        for kind, label in self.KINDS:
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
        self.helper = _helper(*fields, Field("confirm"), submit="Preview the changes")
