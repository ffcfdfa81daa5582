from django.urls import path

from .views import caseload, contacts, counts, episodes, feedback

app_name = "jcw"
urlpatterns = [
    path("joint-case-work/", caseload.caseload, name="caseload"),
    path("joint-case-work/start", caseload.start, name="start"),
    path("joint-case-work/counts", counts.counts, name="counts"),
    path("joint-case-work/counts.csv", counts.counts_csv, name="counts-csv"),
    path("people/<str:crn>/joint-case-work/", caseload.person, name="person"),
    path("people/<str:crn>/joint-case-work/start", episodes.episode_open, name="episode-open"),
    path("joint-case-work/<int:pk>/", episodes.episode, name="episode"),
    path("joint-case-work/<int:pk>/aim", episodes.episode_aim, name="episode-aim"),
    path("joint-case-work/<int:pk>/end", episodes.episode_close, name="episode-close"),
    path("joint-case-work/<int:pk>/feedback", feedback.episode_feedback, name="episode-feedback"),
    path("joint-case-work/<int:pk>/contacts/new", contacts.contact_record, name="contact-record"),
    path("joint-case-work/contacts/<int:pk>/", contacts.contact, name="contact"),
    path("joint-case-work/contacts/<int:pk>/your-view", contacts.contact_view, name="contact-view"),
    path(
        "joint-case-work/contacts/<int:pk>/feedback",
        feedback.contact_feedback,
        name="contact-feedback",
    ),
    path(
        "joint-case-work/contacts/<int:pk>/ndelius",
        contacts.contact_ndelius,
        name="contact-ndelius",
    ),
]
