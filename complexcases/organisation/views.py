from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from complexcases.core.csvimport import ImportRejected

from . import oidc
from .forms import OrganisationUploadForm, SignInForm
from .selectors import regions_with_pdus, staff_list
from .services import organisation_import


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # With single sign-on (ADR 0029) the provider's button comes first; passwords may be off.
        return super().get_context_data(
            **kwargs,
            sso_label=settings.OIDC_SIGN_IN_LABEL if oidc.sso_enabled() else "",
            passwords_off=oidc.sso_enabled() and not settings.LOCAL_PASSWORDS_ENABLED,
        )


@login_required
@permission_required("organisation.view_probationdeliveryunit", raise_exception=True)
@require_GET
def pdu_list(request):
    """Regions, their PDUs and teams."""
    return render(request, "organisation/pdu_list.html", {"regions": regions_with_pdus()})


@login_required
@permission_required("organisation.import_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def organisation_upload(request):
    """Import regions and PDUs from a CSV; show every problem if the file is rejected."""
    problems = []
    form = (
        OrganisationUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else OrganisationUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = organisation_import(source=form.cleaned_data["file"].read())
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(
                request,
                f"Organisation imported: {result.regions_created} regions and "
                f"{result.pdus_created} PDUs added, {result.regions_updated + result.pdus_updated} updated",
            )
            return redirect("organisation:pdu-list")
    return render(request, "organisation/upload.html", {"form": form, "problems": problems})


@login_required
@permission_required("organisation.view_user", raise_exception=True)
@require_GET
def staff(request):
    """Staff accounts with their roles, PDU and team."""
    return render(request, "organisation/staff_list.html", {"staff": staff_list()})


REASONS = {
    "idle": "You were signed out because you had not done anything for 15 minutes.",
    "expired": "You were signed out because you had been signed in for 12 hours.",
}


@require_GET
def signed_out(request):
    """Where a time-out lands (after the server or the page has signed the user out): says why."""
    return render(
        request,
        "registration/signed_out.html",
        {
            "reason": REASONS.get(request.GET.get("reason", "")),
            "provider_sign_out": oidc.end_session_url()
            if request.GET.get("reason") == "provider"
            else "",
            "provider_label": oidc.label(),
        },
    )


@login_required
@require_http_methods(["POST"])
def keep_alive(request):
    """ "Stay signed in": any signed-in request resets the idle timer (SessionTimeoutMiddleware)."""
    return HttpResponse(status=204)
