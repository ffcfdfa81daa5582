from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complexcases.core.csvimport import ImportRejected

from . import oidc
from .forms import OrganisationUploadForm, RoleChangeSearchForm, SignInForm, StaffRolesForm
from .models import RoleChange, User
from .selectors import regions_with_pdus, role_changes_search, staff_list
from .services import (
    RoleChangeRefused,
    organisation_import,
    role_change_approve,
    role_change_decline,
    staff_roles_request,
)


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


@login_required
@permission_required("organisation.add_rolechange", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_roles(request, pk):
    """Ask for a member of staff's roles to change (ADR 0021): never one's own."""
    member = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    form = StaffRolesForm(
        request.POST if request.method == "POST" else None,
        initial={"roles": member.role_names},
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = staff_roles_request(
                staff=member, roles=form.cleaned_data["roles"], requested_by=request.user
            )
        except RoleChangeRefused as refused:
            form.add_error("roles", str(refused))
        else:
            if change.status == RoleChange.Status.PENDING:
                messages.success(
                    request,
                    "Change asked for. Another system administrator must approve it "
                    "before it is made",
                )
            else:
                messages.success(request, f"Roles changed for {member}")
            return redirect("organisation:role-changes")
    pending = member.role_changes.filter(status=RoleChange.Status.PENDING).first()
    return render(
        request,
        "organisation/staff_roles.html",
        {"member": member, "form": form, "own": member.pk == request.user.pk, "pending": pending},
    )


@login_required
@permission_required("organisation.view_rolechange", raise_exception=True)
@require_GET
def role_changes(request):
    """Every role change, waiting ones first: for administrators to decide, for the DPO to audit."""
    form = RoleChangeSearchForm(request.GET or None)
    email = form.cleaned_data["email"] if form.is_bound and form.is_valid() else ""
    page = Paginator(role_changes_search(email=email), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisation/role_changes.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query_string": query.urlencode(),
        },
    )


DECISIONS = {
    "approve": (
        lambda change, user: role_change_approve(change=change, approved_by=user),
        "Role change approved and made",
    ),
    "decline": (
        lambda change, user: role_change_decline(change=change, declined_by=user),
        "Role change declined",
    ),
}


@login_required
@permission_required("organisation.change_rolechange", raise_exception=True)
@require_POST
def role_change_decide(request, pk, decision):
    """Approve a waiting change (a second administrator; it is made now) or decline it (or
    withdraw one's own request)."""
    change = get_object_or_404(RoleChange, pk=pk)
    decide, done = DECISIONS[decision]
    try:
        decide(change, request.user)
    except RoleChangeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("organisation:role-changes")


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
