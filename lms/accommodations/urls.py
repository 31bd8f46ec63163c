from django.urls import path

from lms.accommodations import views

urlpatterns = [
    path("espace/amenagements/", views.my_accommodations, name="my_accommodations"),
    path("organisme/handicap/", views.accommodation_home, name="accommodation_home"),
    path("organisme/handicap/<id:body_id>/apprenants/<id:trainee_id>/", views.accommodation_edit,
         name="accommodation_edit"),
]
