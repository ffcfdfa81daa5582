from datetime import datetime, time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from complexcases.core.forms import GovukDateField, parse_time

from .models import ActivityType, JcwContact, JcwEpisode
from .reference import (
    AGREEMENT_SCALE,
    CONFIDENCE_SCALE,
    MAX_PLANNED_SESSIONS,
    RATING_STATEMENTS,
    SESSIONS_WITHOUT_REASON,
)

CRN_PATTERN = r"^\s*[A-Za-z][0-9]{6}\s*$"


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit, data_prevent_double_click="true"))
    return helper


def _area(form: forms.Form, name: str) -> Field:
    """A GOV.UK textarea with a character count, as tall as the field asks."""
    field = form.fields[name]
    return Field.textarea(
        name, rows=field.widget.attrs.get("rows", 4), max_characters=field.max_length
    )


def _text(
    label: str,
    *,
    max_length: int,
    required: str | None = None,
    noun: str,
    hint: str = "",
    rows: int = 4,
) -> forms.CharField:
    """A textarea; `required` is the message when it is left empty, or None if it is optional."""
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=required is not None,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required or "",
            "max_length": f"{noun} must be {max_length:,} characters or fewer",
        },
    )


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
    return _text(
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


class FindPersonForm(forms.Form):
    crn = forms.RegexField(
        regex=CRN_PATTERN,
        label="CRN",
        help_text="One letter and six digits, for example X123456",
        max_length=20,
        error_messages={
            "required": "Enter the person's CRN",
            "invalid": "Enter a CRN: one letter and six digits, like X123456",
            "max_length": "Enter a CRN: one letter and six digits, like X123456",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("crn", field_width=10), submit="Continue")

    def clean_crn(self) -> str:
        return self.cleaned_data["crn"].strip().upper()


class EpisodeOpenForm(AimMixin):
    started_on = GovukDateField(
        label="Start date",
        help_text="For example, 27 3 2026",
        required_message="Enter the start date",
        real_date_message="The start date must be a real date",
    )
    not_screened_in_reason = _text(
        "Why does this person need joint case work?",
        max_length=1000,
        required="Enter why this person needs joint case work",
        noun="The reason",
        hint="They are not screened in to the OPD pathway. A few lines are enough.",
        rows=3,
    )
    dilemma = _text(
        "What is the dilemma to solve?",
        max_length=2000,
        noun="The dilemma",
        hint="Agree it with the practitioner. You can add the aim later, but it is needed before the first session.",
    )
    desired_outcome = _text(
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
                _area(self, "dilemma"),
                _area(self, "desired_outcome"),
                legend="The aim",
                legend_size=Size.MEDIUM,
            ),
            Field.text("planned_sessions", field_width=2),
            _area(self, "extra_sessions_reason"),
        ]
        if screened_in:
            del self.fields["not_screened_in_reason"]
        else:
            fields.insert(0, _area(self, "not_screened_in_reason"))
        self.helper = _helper(*fields, submit="Start joint case work")

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
    dilemma = _text(
        "What is the dilemma to solve?",
        max_length=2000,
        required="Enter the dilemma to solve",
        noun="The dilemma",
        hint="What the practitioner is stuck on, in a few lines.",
    )
    desired_outcome = _text(
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
        self.helper = _helper(
            _area(self, "dilemma"),
            _area(self, "desired_outcome"),
            Field.text("planned_sessions", field_width=2),
            _area(self, "extra_sessions_reason"),
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
    closing_note = _text(
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
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            _area(self, "closing_note"),
            Field("closed_on"),
            Field("version"),
            submit="End joint case work",
        )

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError("The end date must be today or in the past")
        return closed_on


CONTACT_TYPE_CHOICES = [
    Choice(
        JcwContact.ContactType.DIRECT,
        "Direct joint case work",
        hint="The person on probation was there.",
    ),
    Choice(
        JcwContact.ContactType.INDIRECT,
        "Indirect joint case work",
        hint="The person on probation was not there.",
    ),
    Choice(
        JcwContact.ContactType.CONSULTATION,
        "Case consultation",
        hint="A discussion of the case only. It is counted apart from joint case work.",
    ),
]


class ContactForm(forms.Form):
    contact_type = forms.ChoiceField(
        label="What kind of contact was it?",
        choices=CONTACT_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of contact it was"},
    )
    contact_date = GovukDateField(
        label="Date of the contact",
        help_text="For example, 27 3 2026",
        required_message="Enter the date of the contact",
        real_date_message="The date of the contact must be a real date",
    )
    contact_time = forms.CharField(
        label="Time of the contact",
        help_text="For example, 10am or 2:30pm",
        max_length=10,
        error_messages={
            "required": "Enter the time of the contact",
            "max_length": "Enter the time like 10am, 2:30pm or 14:30",
        },
    )
    activity_types = forms.ModelMultipleChoiceField(
        label="What did the joint case work involve?",
        help_text="Select all that apply. Leave these empty for a case consultation.",
        queryset=ActivityType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select activities from the list"},
    )
    other_activity = forms.CharField(
        label="If other: what was the activity?",
        max_length=300,
        required=False,
        error_messages={"max_length": "The other activity must be 300 characters or fewer"},
    )
    took_part = forms.MultipleChoiceField(
        label="Who took part?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[("clinician", "The OPD clinician"), ("practitioner", "The practitioner")],
        error_messages={"invalid_choice": "Select who took part from the list"},
    )
    others_took_part = forms.CharField(
        label="Anyone else who took part (optional)",
        help_text="Their role, for example a social worker or an approved premises key worker.",
        max_length=300,
        required=False,
        error_messages={"max_length": "Who else took part must be 300 characters or fewer"},
    )
    notes = _text(
        "Notes",
        max_length=5000,
        required="Enter notes on the contact",
        noun="The notes",
        hint="What was discussed or done. These can be copied into nDelius.",
        rows=6,
    )
    next_steps = _text(
        "Next steps (optional)",
        max_length=2000,
        noun="The next steps",
        hint="What happens next, and who does it.",
        rows=3,
    )
    extra_session_reason = _text(
        "Why is another session needed?",
        max_length=1000,
        required="Enter why another session is needed",
        noun="The reason",
        rows=3,
    )

    def __init__(self, *args, episode: JcwEpisode, next_session: int, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_types"].queryset = ActivityType.objects.filter(
            disabled_on__isnull=True
        )
        self.fields["activity_types"].label_from_instance = lambda activity: activity.name
        self.fields["took_part"].choices = [
            ("clinician", f"{episode.clinician.get_full_name()} (OPD clinician)"),
            ("practitioner", f"{episode.practitioner.get_full_name()} (practitioner)"),
        ]
        layout = [
            Field.radios("contact_type", legend_size=Size.MEDIUM),
            Field("contact_date"),
            Field.text("contact_time", field_width=10),
            Field.checkboxes("activity_types", legend_size=Size.MEDIUM, small=True),
            Field.text("other_activity"),
            Field.checkboxes("took_part", legend_size=Size.MEDIUM, small=True),
            Field.text("others_took_part"),
            _area(self, "notes"),
            _area(self, "next_steps"),
        ]
        if needs_reason:
            self.fields["extra_session_reason"].help_text = (
                f"If this is joint case work it will be session {next_session}. Joint case work is "
                "normally 1 to 6 sessions. Not needed for a case consultation."
            )
            self.fields["extra_session_reason"].required = False
            layout.append(_area(self, "extra_session_reason"))
        else:
            del self.fields["extra_session_reason"]
        self.needs_reason = needs_reason
        self.helper = _helper(*layout, submit="Save contact")

    def clean_contact_time(self) -> time:
        parsed = parse_time(self.cleaned_data["contact_time"])
        if parsed is None:
            raise forms.ValidationError("Enter the time like 10am, 2:30pm or 14:30")
        return parsed

    def occurred_at(self) -> datetime:
        day, at = self.cleaned_data["contact_date"], self.cleaned_data["contact_time"]
        return timezone.make_aware(datetime.combine(day, at))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("contact_type")
        activities = cleaned.get("activity_types") or []
        if kind == JcwContact.ContactType.CONSULTATION and activities:
            self.add_error(
                "activity_types",
                "A case consultation has no joint case work activities: clear them, or choose "
                "direct or indirect joint case work",
            )
        elif (
            kind in JcwContact.JCW_TYPES and not activities and "activity_types" not in self.errors
        ):
            self.add_error("activity_types", "Select what the joint case work involved")
        if any(a.needs_description for a in activities) and not cleaned.get("other_activity"):
            self.add_error("other_activity", "Describe the other activity")
        nobody = not cleaned.get("took_part") and not cleaned.get("others_took_part")
        if nobody and not {"took_part", "others_took_part"} & set(self.errors):
            self.add_error("took_part", "Select who took part, or enter who else did")
        when_given = cleaned.get("contact_date") and cleaned.get("contact_time")
        if when_given and self.occurred_at() > timezone.now():
            self.add_error("contact_date", "The contact must be in the past")
        if (
            self.needs_reason
            and kind in JcwContact.JCW_TYPES
            and not cleaned.get("extra_session_reason")
            and "extra_session_reason" not in self.errors
        ):
            self.add_error("extra_session_reason", "Enter why another session is needed")
        return cleaned


class PractitionerViewForm(forms.Form):
    view = _text(
        "Your view of the contact",
        max_length=3000,
        required="Enter your view of the contact",
        noun="Your view",
        hint="What you took from it, and anything you see differently. The clinician can read this.",
        rows=6,
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_area(self, "view"), Field("version"), submit="Save your view")


def _scale_field(label: str, scale: list[tuple[int, str]], required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(value), point) for value, point in scale],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": required},
    )


class FeedbackForm(forms.Form):
    worked_well = _text(
        "What worked well? (optional)",
        max_length=3000,
        noun="What worked well",
        hint="For example, what helped you understand the person or plan your work.",
    )
    did_not_work = _text(
        "What did not work well? (optional)",
        max_length=3000,
        noun="What did not work well",
        hint="For example, anything that got in the way, or that you would change.",
    )
    confidence_before = _scale_field(
        "Before the joint case work, how confident were you working with this person?",
        CONFIDENCE_SCALE,
        "Select how confident you were before",
    )
    confidence_after = _scale_field(
        "How confident are you now working with this person?",
        CONFIDENCE_SCALE,
        "Select how confident you are now",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statements = []
        for name, statement, _short in RATING_STATEMENTS:
            self.fields[name] = _scale_field(
                statement, AGREEMENT_SCALE, f"Select how far you agree: {statement.lower()}"
            )
            statements.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        # Errors are summarised in page order.
        self.order_fields(["worked_well", "did_not_work", *(s[0] for s in RATING_STATEMENTS)])
        self.helper = _helper(
            _area(self, "worked_well"),
            _area(self, "did_not_work"),
            HTML(
                '<h2 class="govuk-heading-m">Joint case work and your practice</h2>'
                '<p class="govuk-body">How far do you agree with each statement?</p>'
            ),
            *statements,
            HTML('<h2 class="govuk-heading-m">Your confidence with this person</h2>'),
            Field.radios("confidence_before", legend_size=Size.SMALL, small=True),
            Field.radios("confidence_after", legend_size=Size.SMALL, small=True),
            submit="Send feedback",
        )

    def ratings(self) -> dict[str, int]:
        names = [s[0] for s in RATING_STATEMENTS] + ["confidence_before", "confidence_after"]
        return {name: self.cleaned_data[name] for name in names}


PERIODS = {"3": "Last 3 months", "6": "Last 6 months", "12": "Last 12 months"}
