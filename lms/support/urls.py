from django.urls import path

from lms.support import views

urlpatterns = [
    path("apprendre/lecons/<id:lesson_id>/question/", views.ask_from_lesson, name="support_ask_lesson"),
    path("apprendre/tentatives/<id:attempt_id>/question/", views.ask_from_attempt, name="support_ask_attempt"),
    path("espace/questions/", views.my_questions, name="my_questions"),
    path("espace/questions/<id:thread_id>/", views.my_question, name="my_question"),
    path("espace/questions/<id:thread_id>/clore/", views.my_question_close, name="my_question_close"),
    path("organisme/questions/", views.inbox, name="support_inbox"),
    path("organisme/questions/<id:thread_id>/", views.staff_thread, name="support_thread"),
    path("organisme/questions/<id:thread_id>/clore/", views.staff_thread_close, name="support_thread_close"),
]
