from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import leaver_views, two_factor_views, views

organisation_patterns = (
    [
        path("organisation/", views.pdu_list, name="pdu-list"),
        path("organisation/import", views.organisation_upload, name="upload"),
        path("staff/", views.staff, name="staff-list"),
        path("staff/<int:user_id>/reassign/", leaver_views.reassign, name="reassign"),
    ],
    "organisation",
)

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="login"),
    path("sign-out", auth_views.LogoutView.as_view(), name="logout"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("session/keep-alive", views.keep_alive, name="keep-alive"),
    path("two-factor/set-up", two_factor_views.setup, name="two-factor-setup"),
    path("two-factor/verify", two_factor_views.verify, name="two-factor-verify"),
    path("", include(organisation_patterns)),
]
