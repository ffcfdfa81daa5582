"""The dashboard's filters, the learning log's search, and recording a learning entry."""

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from triage.models import Theme

from .periods import DEFAULT_PERIOD, MAX_MONTHS, PERIODS, Period, months_between
from .validators import ANONYMOUS_TEXT_VALIDATORS


def _month_number(value, *, what: str, errors: dict) -> int | None:
    text = str(value or "").strip()
    if not text:
        errors[f"{what}_month"] = (
            f"Enter the month the period {'starts' if what == 'from' else 'ends'}"
        )
        return None
    if not text.isdigit() or not 1 <= int(text) <= 12:
        errors[f"{what}_month"] = "Enter the month as a number from 1 to 12"
        return None
    return int(text)


def _year_number(value, *, what: str, errors: dict) -> int | None:
    text = str(value or "").strip()
    if not text:
        errors[f"{what}_year"] = (
            f"Enter the year the period {'starts' if what == 'from' else 'ends'}"
        )
        return None
    if not text.isdigit() or len(text) != 4 or not 2000 <= int(text) <= 2100:
        errors[f"{what}_year"] = "Enter the year as 4 numbers, like 2026"
        return None
    return int(text)


class DashboardFilterForm(forms.Form):
    """Region, PDU and period, from the query string (codes and months only: nothing personal).

    A region or PDU outside the user's scope is not a form error but a 404 (see scope_choose).
    """

    region = forms.CharField(required=False, max_length=20)
    pdu = forms.CharField(required=False, max_length=20)
    period = forms.ChoiceField(choices=list(PERIODS.items()), required=False)
    from_month = forms.CharField(required=False, max_length=2)
    from_year = forms.CharField(required=False, max_length=4)
    to_month = forms.CharField(required=False, max_length=2)
    to_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args, scope, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.today = today or timezone.localdate()
        self.fields["period"].error_messages["invalid_choice"] = "Choose a period from the list"

    def clean(self):
        cleaned = super().clean()
        region, pdu = cleaned.get("region"), cleaned.get("pdu")
        if region and pdu:
            chosen = next((p for p in self.scope.pdus if p.code == pdu), None)
            if chosen is not None and chosen.region.code != region:
                self.add_error(
                    "pdu",
                    "The PDU you chose is not in the region you chose: choose a PDU in that region, or all PDUs",
                )
        if cleaned.get("period") == "custom":
            errors: dict[str, str] = {}
            months = {}
            for what in ("from", "to"):
                month = _month_number(cleaned.get(f"{what}_month"), what=what, errors=errors)
                year = _year_number(cleaned.get(f"{what}_year"), what=what, errors=errors)
                if month and year:
                    months[what] = date(year, month, 1)
            if len(months) == 2:
                first, last = months["from"], months["to"]
                if last > self.today.replace(day=1):
                    errors["to_month"] = "The end of the period must be this month or earlier"
                elif first > last:
                    errors["from_month"] = (
                        "The start of the period must be the same as or before the end"
                    )
                elif len(months_between(first, last)) > MAX_MONTHS:
                    errors["from_month"] = f"The period must be {MAX_MONTHS} months or shorter"
                else:
                    cleaned["custom_months"] = (first, last)
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned

    def chosen_period(self) -> Period:
        """The period chosen, or the last 12 months while the choice has an error."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        key = data.get("period") or DEFAULT_PERIOD
        if key == "custom":
            first, last = data["custom_months"]
            return Period(key="custom", months=tuple(months_between(first, last)))
        return Period.of(key, today=self.today)

    def month_values(self) -> dict[str, str]:
        return {
            name: self.data.get(name, "")
            for name in ("from_month", "from_year", "to_month", "to_year")
        }


class MonthlyReportForm(forms.Form):
    """Which region and month (from the query string)."""

    region = forms.CharField(required=False, max_length=20)
    month = forms.RegexField(
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": "Choose a month from the list"},
    )


class LearningEntryForm(forms.Form):
    """What a heard panel case taught the service, with nothing that identifies anyone."""

    blocker = forms.CharField(
        label="What was the blocker?",
        help_text="Describe the problem so someone else would recognise it. Do not include names, CRNs or dates of birth.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=ANONYMOUS_TEXT_VALIDATORS,
        error_messages={
            "required": "Enter what the blocker was",
            "max_length": "The blocker must be 1,000 characters or fewer",
        },
    )
    what_unblocked = forms.CharField(
        label="What unblocked it?",
        help_text="What the panel or others did that made the difference.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=ANONYMOUS_TEXT_VALIDATORS,
        error_messages={
            "required": "Enter what unblocked it",
            "max_length": "What unblocked it must be 1,000 characters or fewer",
        },
    )
    helped_by = forms.CharField(
        label="Which service or contact helped?",
        help_text="A team or service, like “local authority housing options team”, not a person’s name.",
        max_length=300,
        validators=ANONYMOUS_TEXT_VALIDATORS,
        error_messages={
            "required": "Enter the service or contact that helped",
            "max_length": "The service or contact must be 300 characters or fewer",
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one theme"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(disabled_on__isnull=True)
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.legend_size = Size.SMALL
        helper.layout = Layout(
            Field.textarea("blocker", max_characters=1000),
            Field.textarea("what_unblocked", max_characters=1000),
            Field.text("helped_by"),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Submit("submit", "Add to the learning log", data_prevent_double_click="true"),
        )
        self.helper = helper


class LearningSearchForm(forms.Form):
    """Words to find in the log: POSTed, so whatever is typed stays out of URLs and logs."""

    q = forms.CharField(
        label="Search the learning log",
        max_length=100,
        error_messages={
            "required": "Enter words to search for",
            "max_length": "Search words must be 100 characters or fewer",
        },
    )
