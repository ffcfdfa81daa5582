from django.urls import path

from . import access_log_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("health/liveness", views.liveness, name="health-liveness"),
    path("health/readiness", views.readiness, name="health-readiness"),
    path("metrics", views.metrics, name="metrics"),
    path("calendar/<str:token>.ics", views.calendar_file, name="calendar-file"),
    path("accessibility", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_notice, name="privacy"),
    path("access-log/", access_log_views.access_log, name="access-log"),
    path("access-log/export", access_log_views.access_log_export, name="access-log-export"),
    path("subject-access/", access_log_views.subject_access, name="subject-access"),
    path(
        "subject-access/<str:crn>/",
        access_log_views.subject_access_report_view,
        name="subject-access-report",
    ),
    path(
        "subject-access/<str:crn>/json",
        access_log_views.subject_access_report_view,
        {"fmt": "json"},
        name="subject-access-json",
    ),
]
