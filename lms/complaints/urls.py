from django.urls import path

from lms.complaints import views

urlpatterns = [
    path("espace/reclamations/", views.my_complaints, name="my_complaints"),
    path("espace/reclamations/nouvelle/", views.complaint_new, name="complaint_new"),
    path("espace/reclamations/<id:complaint_id>/", views.complaint_mine, name="complaint_mine"),
    path("organisme/reclamations/", views.register, name="complaint_register"),
    path("organisme/reclamations/registre.csv", views.register_csv, name="complaint_register_csv"),
    path("organisme/reclamations/<id:complaint_id>/", views.complaint_staff, name="complaint_staff"),
]
