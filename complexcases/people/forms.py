from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms


class PomForm(forms.Form):
    pom_name = forms.CharField(
        label="POM's name",
        max_length=200,
        required=False,
        help_text="The prison offender manager, if the person is in custody or due for release",
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    pom_contact = forms.CharField(
        label="POM's email address or phone number",
        max_length=200,
        required=False,
        error_messages={"max_length": "The contact details must be 200 characters or fewer"},
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("pom_name"),
            Field.text("pom_contact"),
            Field("version"),
            Submit("submit", "Save POM details", data_prevent_double_click="true"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pom_contact") and not cleaned.get("pom_name"):
            self.add_error("pom_name", "Enter the POM's name")
        return cleaned
