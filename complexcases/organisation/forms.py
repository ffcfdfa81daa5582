from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from complexcases.core.scanning import ScannedFileField

from .roles import Role


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
    file = ScannedFileField(
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


class StaffRolesForm(forms.Form):
    """The roles a member of staff should have: adding one needs a second administrator."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(role, role) for role in Role.ALL],
        help_text="Select every role they should have. Adding a role needs another system "
        "administrator to approve it; taking roles away is made at once.",
        error_messages={"invalid_choice": "Select roles from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("roles", legend_size=Size.MEDIUM, small=True),
            Submit("submit", "Ask for this change", data_prevent_double_click="true"),
        )


class RoleChangeSearchForm(forms.Form):
    """Find role changes by the email of the person changed, who asked or who decided (GET)."""

    email = forms.EmailField(
        required=False,
        label="Staff email address",
        help_text="The person whose roles changed, who asked, or who decided",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("email"),
            Submit("search", "Search", data_prevent_double_click="true"),
        )
