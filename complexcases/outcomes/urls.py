from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("outcomes/", views.after_panel, name="after-panel"),
    path("outcomes/after-the-panel.csv", views.after_panel_csv, name="after-panel-csv"),
    path("outcomes/criteria/", views.criteria, name="criteria"),
    path("outcomes/criteria.csv", views.criteria_csv, name="criteria-csv"),
    path("outcomes/threshold/", views.threshold, name="threshold"),
    path("outcomes/threshold.csv", views.threshold_csv, name="threshold-csv"),
]
