from django.urls import path

from . import views

app_name = "jcw"
urlpatterns = [
    path("joint-case-work/", views.caseload, name="caseload"),
    path("joint-case-work/start", views.start, name="start"),
    path("joint-case-work/counts", views.counts, name="counts"),
    path("joint-case-work/counts.csv", views.counts_csv, name="counts-csv"),
    path("people/<str:crn>/joint-case-work/", views.person, name="person"),
    path("people/<str:crn>/joint-case-work/start", views.episode_open, name="episode-open"),
    path("joint-case-work/<int:pk>/", views.episode, name="episode"),
    path("joint-case-work/<int:pk>/aim", views.episode_aim, name="episode-aim"),
    path("joint-case-work/<int:pk>/end", views.episode_close, name="episode-close"),
    path("joint-case-work/<int:pk>/feedback", views.episode_feedback, name="episode-feedback"),
    path("joint-case-work/<int:pk>/contacts/new", views.contact_record, name="contact-record"),
    path("joint-case-work/contacts/<int:pk>/", views.contact, name="contact"),
    path("joint-case-work/contacts/<int:pk>/your-view", views.contact_view, name="contact-view"),
    path(
        "joint-case-work/contacts/<int:pk>/feedback",
        views.contact_feedback,
        name="contact-feedback",
    ),
    path(
        "joint-case-work/contacts/<int:pk>/ndelius", views.contact_ndelius, name="contact-ndelius"
    ),
]
