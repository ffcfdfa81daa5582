from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Sign in with the email address and password of a staff account."""

    error_messages = {
        "invalid_login": "Enter the email address and password for your account",
        "inactive": "Your account cannot sign in yet. Ask a system administrator to enable it",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("username"),
            Field.text("password"),
            Submit("submit", "Sign in", data_prevent_double_click="true"),
        )


class OrganisationUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload an organisation file",
        help_text="A CSV file with the columns region_code, region_name, pdu_code and pdu_name, "
        "smaller than 5MB",
        error_messages={"required": "Select a CSV file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file"),
            Submit("submit", "Import", data_prevent_double_click="true"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload
