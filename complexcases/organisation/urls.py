from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

organisation_patterns = (
    [
        path("organisation/", views.pdu_list, name="pdu-list"),
        path("organisation/import", views.organisation_upload, name="upload"),
        path("staff/", views.staff, name="staff-list"),
    ],
    "organisation",
)

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="login"),
    path("sign-out", auth_views.LogoutView.as_view(), name="logout"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("session/keep-alive", views.keep_alive, name="keep-alive"),
    path("", include(organisation_patterns)),
]
