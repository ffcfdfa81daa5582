import segno
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .two_factor import authenticator_app_confirm, has_device, requires_two_factor

SETUP_KEY = "cc_two_factor_setup_key"


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="Code from your authenticator app",
        help_text="The 6-digit code, for example 123456",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "The code must be 6 digits, like 123456",
        },
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("code", field_width=5),
            Submit("submit", submit, data_prevent_double_click="true"),
        )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Add an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    if has_device(request.user):
        if not request.user.is_verified():
            # A password alone must never replace an existing app: verify with it first.
            return redirect("two-factor-verify")
        messages.info(request, "Two-factor authentication is already set up")
        return redirect("home")
    # The new secret waits in the session until a code proves the app has it: nothing is saved on GET.
    key = request.session.get(SETUP_KEY) or random_hex(20)
    request.session[SETUP_KEY] = key
    device = TOTPDevice(user=request.user, name="Authenticator app", key=key, confirmed=False)
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        submit="Turn on two-factor authentication",
    )
    if request.method == "POST" and form.is_valid():
        code = int(form.cleaned_data["code"].strip())
        if TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).verify(
            code, tolerance=1
        ):
            authenticator_app_confirm(user=request.user, device=device)
            request.session.pop(SETUP_KEY, None)
            otp_login(request, device)
            messages.success(
                request,
                "Two-factor authentication is on. You will be asked for a code when you sign in.",
            )
            return redirect("home")
        form.add_error(
            "code", "The code is not right. Check your authenticator app and try the newest code"
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_data_uri(scale=5, dark="#0b0c0c"),
            "secret": _grouped(device.key),
            "required": requires_two_factor(request.user),
        },
    )


def _allowed(device, form) -> bool:
    """After a wrong code django-otp makes you wait (longer each time); say so rather than 'wrong code'."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", "Too many wrong codes. Wait a minute, then enter the newest code")
    return allowed


def _grouped(hex_key: str) -> str:
    import base64

    secret = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in for a user with an authenticator app."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST if request.method == "POST" else None, submit="Continue")
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        if device is not None and _allowed(device, form):
            if device.verify_token(form.cleaned_data["code"].strip()):
                otp_login(request, device)
                return redirect(next_url)
            form.add_error(
                "code",
                "The code is not right. Check your authenticator app and try the newest code",
            )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})
