"""The service's own error pages in local runs, and a Django admin that refuses non-admins.

With DEBUG on Django answers a 404 with its technical page (every URL pattern listed), so
`make run` looked nothing like the service. Unless a developer asks for the debug pages
(`DEBUG_ERROR_PAGES=true`), a 404 is the service's own page there too; a 403 already is.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import get_resolver


class ServiceErrorPagesMiddleware:
    """With DEBUG on, answer a 404 with the service's page (unless DEBUG_ERROR_PAGES is set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and not getattr(settings, "DEBUG_ERROR_PAGES", False)
            and not getattr(response, "service_error_page", False)
        ):
            handler = get_resolver().resolve_error_handler(404)
            response = handler(request, Http404())
        return response


class ServiceAdminSite(admin.AdminSite):
    """The Django admin for system administrators only: anyone else signed in gets a 403."""

    def _refuse_signed_in_non_admins(self, request):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            self._refuse_signed_in_non_admins(request)
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        """Sign in through the service (two-factor, lockouts), never the admin's own form."""
        from django.contrib.auth.views import redirect_to_login  # needs the app registry

        self._refuse_signed_in_non_admins(request)
        if request.user.is_authenticated:
            return super().login(request, extra_context)
        return redirect_to_login(request.GET.get("next", request.path.rsplit("login/", 1)[0]))


class ServiceAdminConfig(AdminConfig):
    """django.contrib.admin on a site that answers signed-in non-admins with the 403 page."""

    default_site = "complexcases.core.error_pages.ServiceAdminSite"
