"""Form fields shared by every workflow, with GOV.UK wording."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError


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
