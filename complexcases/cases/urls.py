from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/<str:reference>/", views.case_detail, name="detail"),
    path("cases/<str:reference>/<slug:part>/", views.case_detail, name="part"),
]
