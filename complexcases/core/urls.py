from django.urls import path

from . import access_log_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_notice, name="privacy"),
    path("access-log/", access_log_views.access_log, name="access-log"),
    path("access-log/export", access_log_views.access_log_export, name="access-log-export"),
]
