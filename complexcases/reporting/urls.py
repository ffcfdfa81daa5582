from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/download.csv", views.dashboard_csv, name="dashboard-csv"),
    path("dashboard/monthly-report/", views.monthly_report, name="monthly-report"),
    path("dashboard/monthly-report.csv", views.monthly_report_csv, name="monthly-report-csv"),
    path("learning-log/", views.learning_log, name="learning-log"),
    path("learning-log/record/", views.learning_choose, name="learning-choose"),
    path("learning-log/record/<int:pk>/", views.learning_add, name="learning-add"),
]
