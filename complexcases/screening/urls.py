from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("cases/", views.monthly_list, name="monthly-list"),
    path("cases/generate", views.generate, name="generate"),
    path("extracts/upload", views.extract_upload, name="extract-upload"),
    path(
        "extracts/uploads/<uuid:upload_id>",
        views.extract_upload_status,
        name="extract-upload-status",
    ),
    path(
        "extracts/uploads/<uuid:upload_id>/progress",
        views.extract_upload_progress,
        name="extract-upload-progress",
    ),
    path(
        "people/<str:crn>/reflective-conversation",
        views.reflective_conversation,
        name="reflective-conversation",
    ),
    path(
        "people/<str:crn>/reflective-conversations/<int:conversation_id>/ndelius",
        views.reflective_conversation_ndelius,
        name="reflective-conversation-ndelius",
    ),
    path("people/<str:crn>/mark-for-pathway", views.mark_for_pathway, name="mark-for-pathway"),
]
