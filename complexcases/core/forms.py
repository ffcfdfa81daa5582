"""Form fields shared by every workflow, with GOV.UK wording."""

import re
from datetime import date, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """'10am', '2:30pm' or '14:30' as a time of day; None if it is not one."""
    match = TIME_PATTERN.match(text)
    if not match:
        return None
    hour, minute, suffix = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if suffix and not 1 <= hour <= 12:
        return None
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if 0 <= hour < 24 and 0 <= minute < 60 and (suffix or match[2]):
        return time(hour, minute)
    return None


class GovukDateField(DateInputField):
    """A GOV.UK date input whose errors say what to fix, not Python's own text."""

    def __init__(self, *, required_message: str, real_date_message: str, **kwargs):
        super().__init__(**kwargs)
        self.real_date_message = real_date_message
        self.error_messages["required"] = required_message
        self.error_messages["incomplete"] = real_date_message
        for part, name in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = (
                f"{real_date_message.split(' must')[0]} must include a {name}"
            )
            part.validators[0].message = real_date_message

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            if len(str(year)) != 4:
                raise ValueError
            return date(day=int(day), month=int(month), year=int(year))
        except ValueError:
            raise ValidationError(self.real_date_message) from None


class AccessLogSearchForm(forms.Form):
    """Search the access log by person, by user and by date (GET: CRNs only, never names)."""

    crn = forms.RegexField(
        regex=r"^[A-Za-z][0-9]{6}$",
        required=False,
        label="CRN",
        error_messages={"invalid": "Enter a CRN: one letter and six digits, like X123456"},
    )
    user_email = forms.EmailField(
        required=False,
        label="Staff email address",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        help_text="For example, 2026-11-01",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD"},
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        help_text="For example, 2026-11-30",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("crn", field_width=10),
            Field.text("user_email", field_width=20),
            Field.text("date_from", field_width=10),
            Field.text("date_to", field_width=10),
            Submit("search", "Search"),
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned
