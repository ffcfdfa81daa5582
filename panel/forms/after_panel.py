"""Panel forms: action updates, follow-up check-ins and assigning a QDO."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from complexcases.core.forms import GovukDateField

from ..models import EarlyOutcome, FollowUp
from .common import _helper, _too_long

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
    held_on = GovukDateField(
        label="When was the check-in held?",
        help_text="For example, 27 11 2026",
        required_message="Enter the date the check-in was held",
        real_date_message="The date the check-in was held must be a real date",
    )
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
        layout = [Field("held_on")]
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
