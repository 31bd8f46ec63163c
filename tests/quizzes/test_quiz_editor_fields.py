"""A quiz's editor asks what its place in the track allows (lms.quizzes.models.QuizPageForm): the purpose and "add
the modules' questions" belong to a quiz directly under a track; a module quiz's editor has neither, and saving it
keeps an assessment that adds nothing."""
import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from lms.catalog.models import ModulePage
from lms.quizzes.models import QuizPage
from tests.factories import make_quiz, make_staff, make_track

pytestmark = pytest.mark.django_db

FIELDS = ('name="purpose"', 'name="include_module_questions"')


@pytest.fixture
def world(client):
    track = make_track(modules=1, lessons=1)
    module = ModulePage.objects.child_of(track).get()
    client.force_login(make_staff(training_body=track.training_body, role="author"))
    return {"track": track, "module": module, "module_quiz": make_quiz(parent=module, title="Quiz du module"),
            "final": make_quiz(parent=track, title="Évaluation finale")}


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_module_quiz_has_no_purpose_and_adds_no_module_questions(client, world):
    page = html(client, reverse("wagtailadmin_pages:edit", args=[world["module_quiz"].pk]))
    assert not any(field in page for field in FIELDS)
    assert 'name="pass_mark"' in page  # the rest of the editor is there
    new = html(client, reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", world["module"].pk]))
    assert not any(field in new for field in FIELDS)


def test_a_quiz_under_the_track_has_both(client, world):
    page = html(client, reverse("wagtailadmin_pages:edit", args=[world["final"].pk]))
    assert all(field in page for field in FIELDS)
    new = html(client, reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", world["track"].pk]))
    assert all(field in new for field in FIELDS)


def test_a_module_quiz_saves_without_them_and_ignores_them_if_posted(client, world):
    quiz = world["module_quiz"]
    data = nested_form_data({
        "title": "Quiz du module, revu", "slug": quiz.slug, "intro": "", "pass_mark": 80, "max_attempts": "",
        "time_limit_minutes": "", "draw_count": "", "shuffle_choices": "on", "feedback_mode": "after_each",
        "questions": streamfield([("truefalse", {"prompt": "La tension se mesure au repos.", "points": "1",
                                                  "feedback": "", "module": "", "answer": "on"})]),
        "purpose": "positioning", "include_module_questions": "on",  # forged: not fields of this form
    })
    data["action-publish"] = "publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[quiz.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = QuizPage.objects.get(pk=quiz.pk).latest_revision.as_object()  # published, or sent for moderation
    assert quiz.title == "Quiz du module, revu" and quiz.pass_mark == 80
    assert quiz.purpose == "assessment" and quiz.include_module_questions is False
    assert [block.value["prompt"] for block in quiz.questions] == ["La tension se mesure au repos."]
