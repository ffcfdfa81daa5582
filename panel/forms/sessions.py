"""Panel forms: sessions, recurring patterns and their changes."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from complexcases.core.forms import parse_time
from complexcases.organisation.models import Region
from triage.forms import ScheduleForm

from ..models import PanelPattern
from .common import _helper, _too_long

# Sessions ---------------------------------------------------------------------------------------


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
