from django.urls import path

from lms.scorm import views

urlpatterns = [
    path("scorm/paquets/<id:package_id>/contenu/<path:path>", views.content, name="scorm_content"),
    path("apprendre/lecons/<id:lesson_id>/scorm/lancer/", views.launch, name="scorm_launch"),
    path("apprendre/lecons/<id:lesson_id>/scorm/enregistrer/", views.commit, name="scorm_commit"),
]
