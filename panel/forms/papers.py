"""Panel forms: uploading a paper."""

from crispy_forms_gds.layout import Field
from django import forms
from django.conf import settings

from complexcases.core.formatting import megabytes
from complexcases.core.scanning import ScannedFileField, with_scanning_hint

from .common import _helper, _too_long

# Papers -----------------------------------------------------------------------------------------


class PaperForm(forms.Form):
    title = forms.CharField(
        label="Title",
        help_text="For example, OASys summary or psychology report. Do not include the person's name.",
        max_length=200,
        error_messages={"required": "Enter a title for the paper", **_too_long("The title", 200)},
    )
    file = ScannedFileField(
        label="Upload a file",
        help_text="PDF, Word (.docx), OpenDocument text (.odt) or plain text.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = with_scanning_hint(
            "PDF, Word (.docx), OpenDocument text (.odt) or plain text, smaller than "
            f"{megabytes(settings.PANEL_PAPER_MAX_BYTES)}."
        )
        self.helper = _helper(Field.text("title"), Field("file"), submit="Attach paper")
