from django.urls import path

from lms.classroom import views

urlpatterns = [
    path("espace/seances/", views.my_sessions, name="my_class_sessions"),
    path("espace/seances/<id:seance_id>/signer/", views.sign, name="class_session_sign"),
    path("organisme/sessions/<id:cohort_id>/seances/", views.cohort_sessions, name="class_session_list"),
    path("organisme/sessions/<id:cohort_id>/seances/<id:seance_id>/", views.sheet, name="class_session_sheet"),
    path("organisme/sessions/<id:cohort_id>/seances/<id:seance_id>/modifier/", views.edit, name="class_session_edit"),
    path("organisme/sessions/<id:cohort_id>/seances/<id:seance_id>/supprimer/", views.delete,
         name="class_session_delete"),
    path("organisme/sessions/<id:cohort_id>/seances/<id:seance_id>/emargement.pdf", views.sheet_pdf,
         name="class_session_pdf"),
]
