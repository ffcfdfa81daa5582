"""Forms for the papers link pages, used by invitees outside the service (no sign-in)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from .common import EMAIL_ERRORS, _helper


class PapersAddressForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The address this link was sent to. We will email a code to it.",
        max_length=254,
        error_messages={"required": "Enter your email address", **EMAIL_ERRORS},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = _helper(Field.text("email", field_width=20), submit="Send the code")
        self.helper.label_size = Size.MEDIUM


class PapersCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="The code is 6 numbers, for example 038514.",
        max_length=20,
        error_messages={"required": "Enter the code from the email"},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 numbers, like 038514")
        return code

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper = _helper(Field.text("code", field_width=5), submit="Continue")
        self.helper.label_size = Size.MEDIUM
