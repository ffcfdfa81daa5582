from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("people/<str:crn>/request-triage", views.request_triage, name="request"),
    path("people/<str:crn>/request-triage/check", views.check_answers, name="check"),
    path("triage/", views.queue, name="queue"),
    path("triage/<int:pk>/", views.detail, name="detail"),
    path("triage/<int:pk>/requested", views.confirmation, name="confirmation"),
    path("triage/<int:pk>/assign", views.assign, name="assign"),
    path("triage/<int:pk>/schedule", views.schedule, name="schedule"),
    path("triage/<int:pk>/reschedule", views.reschedule, name="reschedule"),
    path("triage/<int:pk>/cancel", views.cancel, name="cancel"),
    path("triage/<int:pk>/withdraw", views.withdraw, name="withdraw"),
    path("triage/<int:pk>/held", views.held, name="held"),
    path("triage/<int:pk>/outcome", views.outcome, name="outcome"),
    path("triage/<int:pk>/ndelius", views.ndelius, name="ndelius"),
]
