from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/search", views.search, name="search"),
    path("people/<str:crn>/", views.person, name="person"),
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
    path("people/<str:crn>/pom", views.pom_details, name="pom"),
]
