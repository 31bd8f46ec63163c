from django.urls import path

from lms.reports import views

urlpatterns = [
    path("espace/mes-donnees/", views.my_data, name="my_data"),
    path("cabinet/", views.employer_dashboard, name="practice_home"),
    path("cabinet/export.csv", views.employer_csv, name="employer_csv"),
    path("cabinet/rappels/", views.reminder_settings, name="reminder_settings"),
    path("cabinet/calendrier/", views.calendar_settings, name="calendar_settings"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("assistants/<id:employment_id>/", views.employment_detail, name="employment_detail"),
    path("cabinet/dossiers-cpam.zip", views.evidence_zip, name="evidence_zip"),
    path("assistants/<id:employment_id>/dossier-cpam.pdf", views.evidence_dossier, name="evidence_dossier"),
    path("assistants/<id:employment_id>/declarer/", views.declaration_create, name="declaration_create"),
    path("organisme/apprenants/<id:enrolment_id>/", views.learner_detail, name="learner_detail"),
    path("organisme/apprenants/<id:enrolment_id>/releve.<str:fmt>", views.attendance_download, name="attendance_download"),
    path("organisme/apprenants/<id:enrolment_id>/attestation-entree.pdf", views.entry_attestation_download,
         name="entry_attestation_download"),
    path("organisme/sessions/<id:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("organisme/sessions/<id:cohort_id>/releves.zip", views.cohort_attendance_zip, name="cohort_attendance_zip"),
    path("organisme/sessions/<id:cohort_id>/synthese.<str:fmt>", views.cohort_attendance_summary,
         name="cohort_attendance_summary"),
    path("organisme/echeances/", views.training_body_deadlines, name="training_body_deadlines"),
]
