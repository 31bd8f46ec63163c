from django.urls import path

from lms.accounts import views

urlpatterns = [
    path("bienvenue/<str:token>/", views.welcome, name="account_welcome"),
    path("bienvenue/<str:token>/nouveau-lien/", views.welcome_renew, name="account_welcome_renew"),
]
