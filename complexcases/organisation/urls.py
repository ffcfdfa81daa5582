from django.urls import include, path

from . import oidc, two_factor_views, views

organisation_patterns = (
    [
        path("organisation/", views.pdu_list, name="pdu-list"),
        path("organisation/import", views.organisation_upload, name="upload"),
        path("staff/", views.staff, name="staff-list"),
        path("staff/<int:pk>/roles", views.staff_roles, name="staff-roles"),
        path("staff/role-changes/", views.role_changes, name="role-changes"),
        path(
            "staff/role-changes/<int:pk>/approve",
            views.role_change_decide,
            {"decision": "approve"},
            name="role-change-approve",
        ),
        path(
            "staff/role-changes/<int:pk>/decline",
            views.role_change_decide,
            {"decision": "decline"},
            name="role-change-decline",
        ),
    ],
    "organisation",
)

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="login"),
    path("sign-out", oidc.SignOutView.as_view(), name="logout"),
    # Single sign-on with the identity provider (ADR 0029); 404 unless OIDC_ISSUER is set.
    path("oidc/authenticate/", oidc.SignInStartView.as_view(), name="sso-start"),
    path("oidc/callback/", oidc.SignInCallbackView.as_view(), name="sso-callback"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("session/keep-alive", views.keep_alive, name="keep-alive"),
    path("two-factor/set-up", two_factor_views.setup, name="two-factor-setup"),
    path("two-factor/verify", two_factor_views.verify, name="two-factor-verify"),
    path("", include(organisation_patterns)),
]
