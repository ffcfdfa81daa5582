"""The practitioner's feedback at the end of joint case work."""

from crispy_forms_gds.layout import HTML, Field, Size
from django import forms

from ..reference import AGREEMENT_SCALE, CONFIDENCE_SCALE, RATING_STATEMENTS
from .common import form_helper, text_field, textarea


def _scale_field(label: str, scale: list[tuple[int, str]], required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(value), point) for value, point in scale],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": required},
    )


class FeedbackForm(forms.Form):
    worked_well = text_field(
        "What worked well? (optional)",
        max_length=3000,
        noun="What worked well",
        hint="For example, what helped you understand the person or plan your work.",
    )
    did_not_work = text_field(
        "What did not work well? (optional)",
        max_length=3000,
        noun="What did not work well",
        hint="For example, anything that got in the way, or that you would change.",
    )
    confidence_before = _scale_field(
        "Before the joint case work, how confident were you working with this person?",
        CONFIDENCE_SCALE,
        "Select how confident you were before",
    )
    confidence_after = _scale_field(
        "How confident are you now working with this person?",
        CONFIDENCE_SCALE,
        "Select how confident you are now",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statements = []
        for name, statement, _short in RATING_STATEMENTS:
            self.fields[name] = _scale_field(
                statement, AGREEMENT_SCALE, f"Select how far you agree: {statement.lower()}"
            )
            statements.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        # Errors are summarised in page order.
        self.order_fields(["worked_well", "did_not_work", *(s[0] for s in RATING_STATEMENTS)])
        self.helper = form_helper(
            textarea(self, "worked_well"),
            textarea(self, "did_not_work"),
            HTML(
                '<h2 class="govuk-heading-m">Joint case work and your practice</h2>'
                '<p class="govuk-body">How far do you agree with each statement?</p>'
            ),
            *statements,
            HTML('<h2 class="govuk-heading-m">Your confidence with this person</h2>'),
            Field.radios("confidence_before", legend_size=Size.SMALL, small=True),
            Field.radios("confidence_after", legend_size=Size.SMALL, small=True),
            submit="Send feedback",
        )

    def ratings(self) -> dict[str, int]:
        names = [s[0] for s in RATING_STATEMENTS] + ["confidence_before", "confidence_after"]
        return {name: self.cleaned_data[name] for name in names}
