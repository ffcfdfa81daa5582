from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from complexcases.core.access_log import access_log_consultation

from .navigation import sections_for
from .selectors import service_health


@login_required
@require_GET
def home(request):
    """Each role's way into its work, and what needs them today."""
    from panel.selectors import needs_me_today

    today = needs_me_today(request.user)
    for follow_up in today.further_triage:
        access_log_consultation(
            request=request,
            person=follow_up.person,
            record_type="follow-up",
            record_id=follow_up.pk,
        )
    return render(
        request,
        "core/home.html",
        {
            "sections": sections_for(request.user),
            "roles": request.user.role_names,
            "today": today,
        },
    )


@require_GET
def healthz(request):
    """For the load balancer and compose healthcheck: no personal data, no sign-in."""
    try:
        health = service_health()
    except Exception:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse(health)


@require_GET
def accessibility_statement(request):
    return render(request, "core/accessibility.html")


@require_GET
def privacy_notice(request):
    return render(request, "core/privacy.html")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    response = render(request, "404.html", status=404)
    response.service_error_page = True  # not to be replaced in local runs (core/error_pages.py)
    return response


def server_error(request):
    # No request context: whatever failed (often the database) must not fail this page too.
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
