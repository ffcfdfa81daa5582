from django.contrib import admin
from django.urls import include, path

from complexcases.core import sar_api
from complexcases.core import views as core_views

urlpatterns = [
    path("", include("complexcases.core.urls")),
    path("", include("complexcases.organisation.urls")),
    path("", include("complexcases.people.urls")),
    path("", include("complexcases.cases.urls")),
    path("", include("complexcases.screening.urls")),
    path("", include("triage.urls")),
    path("", include("panel.urls")),
    path("", include("jcw.urls")),
    path("", include("complexcases.reporting.urls")),
    path("", include("complexcases.outcomes.urls")),
    # The HMPPS subject access request API (ADR 0030): a client-credentials token, never a session.
    path("subject-access-request", sar_api.subject_access_request, name="sar-api"),
    path("openapi.json", sar_api.openapi_document, name="sar-api-openapi"),
    path("django-admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
