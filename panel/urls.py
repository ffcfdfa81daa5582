from django.urls import path

from . import views

app_name = "panel"

urlpatterns = [
    path("panel/", views.sessions, name="sessions"),
    path("panel/ready/", views.ready, name="ready"),
    path("panel/ready/<int:record_id>/book/", views.book, name="book"),
    path("panel/recurring/", views.patterns, name="patterns"),
    path("panel/recurring/new/", views.pattern_create, name="pattern-create"),
    path("panel/sessions/new/", views.session_create, name="session-create"),
    path("panel/sessions/<int:pk>/", views.session_detail, name="session"),
    path("panel/sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("panel/sessions/<int:pk>/move/", views.session_move, name="session-move"),
    path("panel/cases/<int:pk>/", views.booking, name="booking"),
    path("panel/cases/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("panel/cases/<int:pk>/invitees/", views.invitees, name="invitees"),
    path(
        "panel/cases/<int:pk>/invitees/<int:invitee_id>/remove/",
        views.invitee_remove,
        name="invitee-remove",
    ),
    path("panel/cases/<int:pk>/invitees/<int:invitee_id>/deputy/", views.deputy, name="deputy"),
    path("panel/cases/<int:pk>/invitations/", views.invitations_send, name="invitations-send"),
    path("panel/cases/<int:pk>/papers/new/", views.paper_upload, name="paper-upload"),
    path("panel/cases/<int:pk>/papers/<int:paper_id>/", views.paper, name="paper"),
    path(
        "panel/cases/<int:pk>/papers/<int:paper_id>/remove/",
        views.paper_remove,
        name="paper-remove",
    ),
    path("panel/cases/<int:pk>/summary-pack/", views.pack, name="pack"),
    path("panel/cases/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("panel/cases/<int:pk>/minutes/edit/", views.minutes_edit, name="minutes-edit"),
    path("panel/cases/<int:pk>/minutes/finalise/", views.minutes_finalise, name="minutes-finalise"),
    path(
        "panel/cases/<int:pk>/minutes/versions/<int:number>/",
        views.minutes_version,
        name="minutes-version",
    ),
    path("panel/cases/<int:pk>/actions/new/", views.actions_add, name="actions-add"),
]

urlpatterns += [
    path("actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow-up"),
    path("follow-ups/<int:pk>/assign/", views.follow_up_assign, name="follow-up-assign"),
    path("follow-ups/<int:pk>/ndelius/", views.follow_up_ndelius, name="follow-up-ndelius"),
    path("panel/cases/<int:pk>/close/", views.pathway_close_view, name="pathway-close"),
    path("staff/<int:user_id>/reassign/", views.reassign, name="reassign"),
]
