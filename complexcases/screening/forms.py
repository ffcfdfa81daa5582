from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings

from complexcases.core.formatting import megabytes
from complexcases.core.forms import GovukDateField
from complexcases.core.scanning import ScannedFileField, with_scanning_hint

from .models import ReflectiveConversation


class ExtractUploadForm(forms.Form):
    file = ScannedFileField(
        label="Upload the monthly extract",
        help_text="A CSV file in the monthly extract format. Large files are checked in the background.",
        error_messages={"required": "Select the extract CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = with_scanning_hint(
            "A CSV file in the monthly extract format, smaller than "
            f"{megabytes(settings.EXTRACT_UPLOAD_MAX_BYTES)}. Large files are checked in the background."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file"), Submit("submit", "Upload and import", data_prevent_double_click="true")
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        if upload.size > settings.EXTRACT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {megabytes(settings.EXTRACT_UPLOAD_MAX_BYTES)}"
            )
        if not looks_like_extract_csv(upload):
            raise forms.ValidationError(
                "The selected file must be a CSV saved as UTF-8, with a header row"
            )
        return upload


class GenerateListForm(forms.Form):
    month = forms.RegexField(
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        label="Month",
        help_text="For example, 2026-11",
        error_messages={
            "required": "Enter the month",
            "invalid": "Enter the month as YYYY-MM, for example 2026-11",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("month", field_width=10),
            Submit("submit", "Generate the list", data_prevent_double_click="true"),
        )


class ReflectiveConversationForm(forms.Form):
    held_on = GovukDateField(
        label="When did the conversation take place?",
        help_text="For example, 27 3 2026",
        required_message="Enter the date of the conversation",
        real_date_message="The date of the conversation must be a real date",
    )
    spo = forms.ModelChoiceField(
        label="Which SPO did you talk to?",
        queryset=None,
        empty_label="Choose an SPO",
        error_messages={
            "required": "Choose the SPO you talked to",
            "invalid_choice": "Choose the SPO you talked to",
        },
    )
    notes = forms.CharField(
        label="Notes",
        help_text="What you talked about and what you agreed. These can be copied into nDelius as a sensitive contact.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        error_messages={
            "required": "Enter notes about the conversation",
            "max_length": "Notes must be 2000 characters or fewer",
        },
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ReflectiveConversation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the conversation"},
    )

    def __init__(self, *args, spo_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spo"].queryset = spo_queryset
        self.fields["spo"].label_from_instance = lambda user: user.get_full_name()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("held_on"),
            Field.select("spo"),
            Field.textarea("notes", max_characters=2000),
            Field.radios("outcome", legend_size=Size.SMALL),
            Submit("submit", "Save reflective conversation", data_prevent_double_click="true"),
        )


class PathwayOverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why does this person need the pathway?",
        help_text="They meet fewer than the usual number of criteria, so explain what makes the case complex.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1000,
        error_messages={
            "required": "Enter why this person needs the pathway",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", max_characters=1000),
            Submit("submit", "Mark for the pathway", data_prevent_double_click="true"),
        )


def looks_like_extract_csv(upload) -> bool:
    """Judge the type by content, not by name: UTF-8 text, no NUL bytes, a header naming crn."""
    head = upload.read(4096)
    upload.seek(0)
    if b"\x00" in head:
        return False
    try:
        first_line = head.split(b"\n", 1)[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return "crn" in first_line.lower() and "," in first_line
