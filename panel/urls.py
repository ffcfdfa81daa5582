from django.urls import path

from .views import actions, bookings, follow_ups, minutes, papers, papers_links, sessions

app_name = "panel"

urlpatterns = [
    path("panel/", sessions.sessions, name="sessions"),
    path("panel/ready/", bookings.ready, name="ready"),
    path("panel/ready/<int:record_id>/book/", bookings.book, name="book"),
    path("panel/recurring/", sessions.patterns, name="patterns"),
    path("panel/recurring/new/", sessions.pattern_create, name="pattern-create"),
    path("panel/sessions/new/", sessions.session_create, name="session-create"),
    path("panel/sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("panel/sessions/<int:pk>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("panel/sessions/<int:pk>/move/", sessions.session_move, name="session-move"),
    path("panel/cases/<int:pk>/", bookings.booking, name="booking"),
    path("panel/cases/<int:pk>/cancel/", bookings.booking_cancel, name="booking-cancel"),
    path("panel/cases/<int:pk>/invitees/", bookings.invitees, name="invitees"),
    path(
        "panel/cases/<int:pk>/invitees/<int:invitee_id>/remove/",
        bookings.invitee_remove,
        name="invitee-remove",
    ),
    path("panel/cases/<int:pk>/invitees/<int:invitee_id>/deputy/", bookings.deputy, name="deputy"),
    path("panel/cases/<int:pk>/invitations/", bookings.invitations_send, name="invitations-send"),
    path("panel/cases/<int:pk>/papers/new/", papers.paper_upload, name="paper-upload"),
    path("panel/cases/<int:pk>/papers/<int:paper_id>/", papers.paper, name="paper"),
    path(
        "panel/cases/<int:pk>/papers/<int:paper_id>/remove/",
        papers.paper_remove,
        name="paper-remove",
    ),
    path("panel/cases/<int:pk>/summary-pack/", papers.pack, name="pack"),
    path(
        "panel/cases/<int:pk>/papers-links/<int:link_id>/revoke/",
        papers_links.papers_link_revoke_view,
        name="papers-link-revoke",
    ),
    path(
        "panel/cases/<int:pk>/papers-links/<int:link_id>/renew/",
        papers_links.papers_link_renew_view,
        name="papers-link-renew",
    ),
    path("panel/cases/<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("panel/cases/<int:pk>/minutes/edit/", minutes.minutes_edit, name="minutes-edit"),
    path(
        "panel/cases/<int:pk>/minutes/finalise/", minutes.minutes_finalise, name="minutes-finalise"
    ),
    path(
        "panel/cases/<int:pk>/minutes/versions/<int:number>/",
        minutes.minutes_version,
        name="minutes-version",
    ),
    path("panel/cases/<int:pk>/actions/new/", minutes.actions_add, name="actions-add"),
]

urlpatterns += [
    path("actions/", actions.my_actions, name="my-actions"),
    path("actions/<int:pk>/", actions.action, name="action"),
    path("actions/<int:pk>/update/", actions.action_update, name="action-update"),
    path("actions/<int:pk>/complete/", actions.action_complete, name="action-complete"),
    path("follow-ups/", follow_ups.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/", follow_ups.follow_up, name="follow-up"),
    path("follow-ups/<int:pk>/assign/", follow_ups.follow_up_assign, name="follow-up-assign"),
    path("follow-ups/<int:pk>/ndelius/", follow_ups.follow_up_ndelius, name="follow-up-ndelius"),
    path("panel/cases/<int:pk>/close/", follow_ups.pathway_close_view, name="pathway-close"),
]

# Invitees outside the service: their own link, no sign-in (ADR 0045).
urlpatterns += [
    path("papers/<str:token>/", papers_links.papers_link, name="papers-link"),
    path("papers/<str:token>/code/", papers_links.papers_link_code, name="papers-link-code"),
    path("papers/<str:token>/files/", papers_links.papers_link_files, name="papers-link-files"),
    path(
        "papers/<str:token>/files/<int:paper_id>/",
        papers_links.papers_link_download,
        name="papers-link-download",
    ),
]
