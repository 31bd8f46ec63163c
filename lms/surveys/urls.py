from django.urls import path

from lms.surveys import views

urlpatterns = [
    path("espace/satisfaction/<id:enrolment_id>/<slug:kind_slug>/", views.survey, name="survey"),
    path("organisme/satisfaction/", views.results, name="survey_results"),
    path("organisme/satisfaction/reponses.csv", views.results_csv, name="survey_results_csv"),
]
