"""Panel forms: booking a case, and inviting people to it."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from ..models import PanelRole
from .common import EMAIL_ERRORS, _helper, _too_long

# Booking and invitations ------------------------------------------------------------------------


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
