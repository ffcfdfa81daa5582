"""What every joint case work form is built from: the GOV.UK helper and a textarea."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms


def form_helper(*fields, submit: str) -> FormHelper:
    """Small labels and legends, no <form> tag (the template has it), one submit button."""
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit, data_prevent_double_click="true"))
    return helper


def textarea(form: forms.Form, name: str) -> Field:
    """A GOV.UK textarea with a character count, as tall as the field asks."""
    field = form.fields[name]
    return Field.textarea(
        name, rows=field.widget.attrs.get("rows", 4), max_characters=field.max_length
    )


def text_field(
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
