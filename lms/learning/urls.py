from django.urls import path

from lms.learning import staff_views, views

urlpatterns = [
    path("mon-parcours/", views.my_track, name="my_track"),
    path("mon-parcours/<id:enrolment_id>/recherche/", views.track_search, name="track_search"),
    path("apprendre/parcours/<id:track_id>/", views.track_outline, name="track_outline"),
    path("apprendre/lecons/<id:lesson_id>/", views.lesson, name="lesson"),
    path("apprendre/lecons/<id:lesson_id>/presence/", views.lesson_heartbeat, name="lesson_heartbeat"),
    path("apprendre/lecons/<id:lesson_id>/terminer/", views.lesson_mark_done, name="lesson_mark_done"),
    path("organisme/apprenants/", staff_views.enrolment_list, name="enrolment_list"),
    path("organisme/apprenants/inscrire/", staff_views.enrolment_create, name="enrolment_create"),
    path("organisme/apprenants/importer/", staff_views.enrolment_import, name="enrolment_import"),
    path("organisme/apprenants/<id:enrolment_id>/retirer/", staff_views.enrolment_withdraw, name="enrolment_withdraw"),
    path("organisme/apprenants/<id:enrolment_id>/certification/", staff_views.qualification_result,
         name="qualification_result"),
    path("certifications/<id:pk>/document/", views.qualification_document, name="qualification_document"),
    path("organisme/invitations-formation/<id:offer_id>/annuler/", staff_views.enrolment_offer_cancel,
         name="enrolment_offer_cancel"),
    path("espace/invitations-formation/<id:offer_id>/accepter/", views.enrolment_offer_accept,
         name="enrolment_offer_accept"),
    path("espace/invitations-formation/<id:offer_id>/refuser/", views.enrolment_offer_refuse,
         name="enrolment_offer_refuse"),
    path("organisme/sessions/", staff_views.cohort_list, name="cohort_list"),
    path("organisme/dispenses/", staff_views.exemption_list, name="exemption_list"),
    path("organisme/dispenses/<id:exemption_id>/", staff_views.exemption_decide, name="exemption_decide"),
]
