from django.urls import path

from lms.quizzes import views

urlpatterns = [
    path("apprendre/quiz/<id:quiz_id>/", views.quiz, name="quiz"),
    path("apprendre/quiz/<id:quiz_id>/commencer/", views.quiz_start, name="quiz_start"),
    path("apprendre/tentatives/<id:attempt_id>/", views.attempt, name="attempt"),
    path("apprendre/tentatives/<id:attempt_id>/enregistrer/", views.attempt_autosave, name="attempt_autosave"),
    path("apprendre/tentatives/<id:attempt_id>/presence/", views.attempt_heartbeat, name="attempt_heartbeat"),
    path("apprendre/tentatives/<id:attempt_id>/resultat/", views.attempt_result, name="attempt_result"),
    path("apprendre/positionnement/<id:enrolment_id>/", views.positioning, name="positioning"),
    path("organisme/quiz/<id:quiz_id>/resultats/", views.quiz_report, name="quiz_report"),
]
