from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_notice, name="privacy"),
]
