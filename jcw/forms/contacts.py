"""Recording a joint case work contact, and the practitioner's view of it."""

from datetime import datetime, time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from complexcases.core.forms import GovukDateField, parse_time

from ..models import ActivityType, JcwContact, JcwEpisode
from .common import form_helper, text_field, textarea

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
    notes = text_field(
        "Notes",
        max_length=5000,
        required="Enter notes on the contact",
        noun="The notes",
        hint="What was discussed or done. These can be copied into nDelius.",
        rows=6,
    )
    next_steps = text_field(
        "Next steps (optional)",
        max_length=2000,
        noun="The next steps",
        hint="What happens next, and who does it.",
        rows=3,
    )
    extra_session_reason = text_field(
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
            textarea(self, "notes"),
            textarea(self, "next_steps"),
        ]
        if needs_reason:
            self.fields["extra_session_reason"].help_text = (
                f"If this is joint case work it will be session {next_session}. Joint case work is "
                "normally 1 to 6 sessions. Not needed for a case consultation."
            )
            self.fields["extra_session_reason"].required = False
            layout.append(textarea(self, "extra_session_reason"))
        else:
            del self.fields["extra_session_reason"]
        self.needs_reason = needs_reason
        self.helper = form_helper(*layout, submit="Save contact")

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
    view = text_field(
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
        self.helper = form_helper(textarea(self, "view"), Field("version"), submit="Save your view")
