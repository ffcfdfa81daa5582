"""Panel forms: the layout helper and messages every form shares."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit, data_prevent_double_click="true"))
    return helper


def _too_long(noun: str, max_length: int) -> dict:
    return {"max_length": f"{noun} must be {max_length:,} characters or fewer"}


EMAIL_ERRORS = {"invalid": "Enter an email address in the correct format, like name@example.com"}
