from django.urls import path

from .views import queue, recording, requesting, scheduling

app_name = "triage"
urlpatterns = [
    path("people/<str:crn>/request-triage", requesting.request_triage, name="request"),
    path("people/<str:crn>/request-triage/check", requesting.check_answers, name="check"),
    path("triage/", queue.queue, name="queue"),
    path("triage/<int:pk>/", queue.detail, name="detail"),
    path("triage/<int:pk>/requested", requesting.confirmation, name="confirmation"),
    path("triage/<int:pk>/assign", queue.assign, name="assign"),
    path("triage/<int:pk>/schedule", scheduling.schedule, name="schedule"),
    path("triage/<int:pk>/reschedule", scheduling.reschedule, name="reschedule"),
    path("triage/<int:pk>/cancel", scheduling.cancel, name="cancel"),
    path("triage/<int:pk>/withdraw", scheduling.withdraw, name="withdraw"),
    path("triage/<int:pk>/held", recording.held, name="held"),
    path("triage/<int:pk>/outcome", recording.outcome, name="outcome"),
    path("triage/<int:pk>/ndelius", recording.ndelius, name="ndelius"),
]
