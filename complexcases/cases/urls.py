from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("case/<str:reference>/", views.case_detail, name="detail"),
    path("case/<str:reference>/<slug:part>/", views.case_detail, name="part"),
]
