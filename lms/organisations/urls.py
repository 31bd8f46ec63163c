from django.urls import path

from lms.organisations import views

urlpatterns = [
    path("espace/", views.dashboard, name="accounts_dashboard"),
    path("cabinet/inviter/", views.practice_invite, name="practice_invite"),
    path("organisme/", views.training_body_home, name="training_body_home"),
    path("organisme/inviter/", views.training_body_invite, name="training_body_invite"),
    path("organisme/<id:body_id>/identite/", views.training_body_identity, name="training_body_identity"),
    path("invitations/<id:pk>/annuler/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
