"""A quiz's result page leads on (issue 16, point 1): a passed module quiz to the next item of the track, the
passed final assessment that completes the track to a congratulation and the certificate."""
import pytest
from django.urls import reverse

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.services import lesson_complete
from lms.quizzes.models import Attempt
from tests.factories import make_enrolment, make_quiz, make_track, perfect_answers

pytestmark = pytest.mark.django_db


def pass_quiz(client, quiz):
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.filter(quiz=quiz).latest("pk")
    post = {f"q-{qid}": value for qid, value in perfect_answers(attempt).items()} | {"action": "submit"}
    assert client.post(reverse("attempt", args=[attempt.pk]), post).status_code == 302
    return client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()


def test_a_passed_quiz_leads_to_the_next_item_then_the_last_to_the_certificate(client):
    track = make_track(modules=2, lessons=1)
    first, second = ModulePage.objects.child_of(track).order_by("path")
    module_quiz = make_quiz(parent=first, title="Quiz du module 1")
    final = make_quiz(parent=track, title="Évaluation finale")
    enrolment = make_enrolment(track=track)
    lessons = list(LessonPage.objects.descendant_of(track).order_by("path"))
    client.force_login(enrolment.trainee)
    for lesson in lessons:
        lesson_complete(enrolment=enrolment, lesson=lesson)
    html = pass_quiz(client, module_quiz)
    assert f'href="{reverse("lesson", args=[lessons[1].pk])}">Continuer : {lessons[1].title}</a>' in html
    assert "Félicitations" not in html
    html = pass_quiz(client, final)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert "Félicitations !" in html and f"Vous avez terminé le parcours « {track.title} »" in html
    assert f'href="{reverse("my_track")}#my-certificates"' in html and "Continuer :" not in html
    assert 'id="my-certificates"' in client.get(reverse("my_track")).content.decode()
