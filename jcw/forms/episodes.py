"""Starting joint case work, its aim and planned sessions, and ending it."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from complexcases.core.forms import GovukDateField

from ..models import JcwEpisode
from ..reference import MAX_PLANNED_SESSIONS, SESSIONS_WITHOUT_REASON
from .common import form_helper, text_field, textarea


def _sessions_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="How many sessions are planned?",
        help_text="Joint case work is normally 1 to 6 sessions.",
        min_value=1,
        max_value=MAX_PLANNED_SESSIONS,
        error_messages={
            "required": "Enter how many sessions are planned",
            "invalid": "The number of sessions must be a whole number, like 4",
            "min_value": "Plan at least 1 session",
            "max_value": f"Plan {MAX_PLANNED_SESSIONS} sessions or fewer",
        },
    )


def _extra_sessions_reason() -> forms.CharField:
    return text_field(
        "If more than 6 sessions: why are they needed?",
        max_length=1000,
        noun="The reason for more sessions",
        hint="Only needed if you plan more than 6 sessions.",
        rows=3,
    )


class AimMixin(forms.Form):
    """The aim (the dilemma and the desired outcome) and the planned sessions."""

    def clean(self):
        cleaned = super().clean()
        planned = cleaned.get("planned_sessions")
        if (
            planned
            and planned > SESSIONS_WITHOUT_REASON
            and not cleaned.get("extra_sessions_reason")
            and "extra_sessions_reason" not in self.errors
        ):
            self.add_error(
                "extra_sessions_reason",
                "Joint case work is normally 1 to 6 sessions: say why more are needed",
            )
        return cleaned


class EpisodeOpenForm(AimMixin):
    started_on = GovukDateField(
        label="Start date",
        help_text="For example, 27 3 2026",
        required_message="Enter the start date",
        real_date_message="The start date must be a real date",
    )
    not_screened_in_reason = text_field(
        "Why does this person need joint case work?",
        max_length=1000,
        required="Enter why this person needs joint case work",
        noun="The reason",
        hint="They are not screened in to the OPD pathway. A few lines are enough.",
        rows=3,
    )
    dilemma = text_field(
        "What is the dilemma to solve?",
        max_length=2000,
        noun="The dilemma",
        hint="Agree it with the practitioner. You can add the aim later, but it is needed before the first session.",
    )
    desired_outcome = text_field(
        "What is the desired outcome?",
        max_length=2000,
        noun="The desired outcome",
        hint="What will be different if the joint case work works.",
    )
    planned_sessions = _sessions_field()
    extra_sessions_reason = _extra_sessions_reason()

    def __init__(self, *args, screened_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field("started_on"),
            Fieldset(
                textarea(self, "dilemma"),
                textarea(self, "desired_outcome"),
                legend="The aim",
                legend_size=Size.MEDIUM,
            ),
            Field.text("planned_sessions", field_width=2),
            textarea(self, "extra_sessions_reason"),
        ]
        if screened_in:
            del self.fields["not_screened_in_reason"]
        else:
            fields.insert(0, textarea(self, "not_screened_in_reason"))
        self.helper = form_helper(*fields, submit="Start joint case work")

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on and started_on > timezone.localdate():
            raise forms.ValidationError("The start date must be today or in the past")
        return started_on

    def clean(self):
        cleaned = super().clean()
        dilemma, outcome = cleaned.get("dilemma"), cleaned.get("desired_outcome")
        if dilemma and not outcome and "desired_outcome" not in self.errors:
            self.add_error("desired_outcome", "Enter the desired outcome, or clear the dilemma")
        if outcome and not dilemma and "dilemma" not in self.errors:
            self.add_error("dilemma", "Enter the dilemma to solve, or clear the desired outcome")
        return cleaned


class AimForm(AimMixin):
    dilemma = text_field(
        "What is the dilemma to solve?",
        max_length=2000,
        required="Enter the dilemma to solve",
        noun="The dilemma",
        hint="What the practitioner is stuck on, in a few lines.",
    )
    desired_outcome = text_field(
        "What is the desired outcome?",
        max_length=2000,
        required="Enter the desired outcome",
        noun="The desired outcome",
        hint="What will be different if the joint case work works.",
    )
    planned_sessions = _sessions_field()
    extra_sessions_reason = _extra_sessions_reason()
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            textarea(self, "dilemma"),
            textarea(self, "desired_outcome"),
            Field.text("planned_sessions", field_width=2),
            textarea(self, "extra_sessions_reason"),
            Field("version"),
            submit="Save the aim",
        )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the aim achieved?",
        choices=JcwEpisode.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the aim was achieved"},
    )
    closing_note = text_field(
        "How did the joint case work end?",
        max_length=2000,
        required="Enter a note on how the joint case work ended",
        noun="The note",
        hint="What changed, and anything still to do.",
    )
    closed_on = GovukDateField(
        label="End date",
        help_text="For example, 27 3 2026",
        required_message="Enter the end date",
        real_date_message="The end date must be a real date",
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            textarea(self, "closing_note"),
            Field("closed_on"),
            Field("version"),
            submit="End joint case work",
        )

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError("The end date must be today or in the past")
        return closed_on
