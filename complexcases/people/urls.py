from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/search", views.search, name="search"),
    path("people/<str:crn>/", views.person, name="person"),
    path("people/<str:crn>/pom", views.pom_details, name="pom"),
]
