"""Finding a person to start joint case work for."""

from crispy_forms_gds.layout import Field
from django import forms

from .common import form_helper

CRN_PATTERN = r"^\s*[A-Za-z][0-9]{6}\s*$"


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
        self.helper = form_helper(Field.text("crn", field_width=10), submit="Continue")

    def clean_crn(self) -> str:
        return self.cleaned_data["crn"].strip().upper()
