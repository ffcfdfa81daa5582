from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET

from .navigation import sections_for
from .registry import needs_today_providers
from .selectors import service_health, service_readiness


@login_required
@require_GET
def home(request):
    """Each role's way into its work, and what needs them today."""
    today = [item for provider in needs_today_providers() for item in provider(request)]
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
def liveness(request):
    """The process answers: nothing else is checked, so a restart is never caused by a dependency."""
    return JsonResponse({"status": "ok"})


@require_GET
def readiness(request):
    """200 or 503 on the database and (when configured) the virus scanner; the broker (Redis)
    and the worker heartbeat are reported ("degraded") without failing it (ADR 0052)."""
    ready, checks = service_readiness()
    if not ready:
        status = "unavailable"
    elif all(value in ("ok", "not seen") for value in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


@require_GET
def metrics(request):
    """Prometheus scrape: only with METRICS_TOKEN as a bearer token; unknown (404) without one set."""
    import prometheus_client

    from .metrics import metrics_registry

    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not constant_time_compare(given, token):
        return HttpResponse("Unauthorized", status=401, content_type="text/plain")
    registry = metrics_registry(with_service_gauges=True)
    return HttpResponse(
        prometheus_client.generate_latest(registry),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )


@require_GET
def calendar_file(request, token):
    """A calendar invitation sent by Notify as a link: signed, expiring, no sign-in (invitees may be external)."""
    from .notify import calendar_file_content

    content = calendar_file_content(token)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invite.ics"'
    return response


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
