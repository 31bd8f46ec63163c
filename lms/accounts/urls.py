from django.urls import path

from lms.accounts import views

urlpatterns = [
    path("", views.dashboard, name="accounts_dashboard"),
]
