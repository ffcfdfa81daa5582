"""Where each error in a GOV.UK error summary links to: the input that has the error.

GOV.UK's error summary links each message to the input to fix: the first radio or checkbox of
a group, the date part that is missing or wrong (the Day input otherwise), the field itself
for everything else. An error about the whole form is listed without a link (ADR 0038).
"""

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class SummaryError:
    message: str
    anchor: str | None


def _is_choice_group(widget) -> bool:
    return isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


def field_anchor(bound_field) -> str:
    """The id of the first input a user should fix for this field's errors."""
    widget = bound_field.field.widget
    if _is_choice_group(widget):
        # crispy-forms-gds numbers radios and checkboxes from 1 (gds/layout/radio_item.html).
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        parts = widget.value_from_datadict(
            bound_field.form.data, bound_field.form.files, bound_field.html_name
        )
        if bound_field.form.is_bound and any(parts):
            for index, part in enumerate(parts):
                if not str(part or "").strip():
                    return f"{bound_field.auto_id}_{index}"
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def summary_errors(form) -> list[SummaryError]:
    """Every error of a form, in page order, each with the id of the input it is about."""
    errors = [SummaryError(str(message), None) for message in form.non_field_errors()]
    for bound_field in form.hidden_fields():
        errors.extend(SummaryError(str(message), None) for message in bound_field.errors)
    for bound_field in form.visible_fields():
        anchor = field_anchor(bound_field)
        errors.extend(SummaryError(str(message), anchor) for message in bound_field.errors)
    return errors
