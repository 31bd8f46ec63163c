"""Wagtail previews of tracks, modules and lessons render the catalogue's own templates (catalog imports no
learning code), show the edited draft, and never what belongs to a trainee."""
import pytest
from django.test import RequestFactory

from lms.catalog.models import AssessmentPage, LessonPage, ModulePage, assessment_page_models
from lms.quizzes.models import QuizPage
from tests.factories import make_quiz, make_staff, make_track

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().get("/cms/preview/")
    request.user = make_staff()
    return request


def test_track_preview_lists_modules_lessons_quizzes_and_final_assessment():
    track = make_track(modules=2, lessons=2)
    module = ModulePage.objects.child_of(track).get(slug="module-1")
    make_quiz(parent=module, title="Quiz du module 1")
    make_quiz(parent=track, title="Évaluation finale du parcours")
    track.title = "Titre du brouillon"
    response = track.serve_preview(_request(), "")
    html = response.content.decode()
    assert "Aperçu : les apprenant·es voient ce sommaire avec leur progression." in html  # catalog's template
    assert "<h1>Titre du brouillon</h1>" in html
    assert html.index("Module 1") < html.index("Leçon 1.1") < html.index("Leçon 1.2") < html.index("Quiz du module 1") \
        < html.index("Module 2") < html.index("Leçon 2.2") < html.index("Évaluation finale du parcours")
    assert "Mesurer la pression artérielle" in html  # objectives
    assert "Marquer comme terminée" not in html and "Terminé" not in html


def test_module_preview_shows_the_module_as_edited_within_its_track():
    track = make_track(modules=2, lessons=1)
    module = ModulePage.objects.child_of(track).get(slug="module-2")
    module.title = "Module renommé"
    html = module.serve_preview(_request(), "").content.decode()
    assert "<h1>%s</h1>" % track.title in html
    assert "Module renommé" in html and "Module 2<" not in html and "Leçon 2.1" in html


def test_lesson_preview_renders_the_draft_body_in_catalog_template():
    track = make_track(modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(track).get()
    lesson.body = [("text", "<p>Texte du brouillon, pas encore publié.</p>")]
    response = lesson.serve_preview(_request(), "")
    html = response.content.decode()
    assert "Aperçu : les apprenants lisent cette leçon" in html  # catalog's template
    assert "Texte du brouillon, pas encore publié." in html
    assert "sur la tension artérielle" not in html  # the published body is not shown
    assert track.title in html and "Module 1" in html
    assert "mark-done" not in html and "data-heartbeat" not in html


def test_quiz_pages_are_the_catalogue_s_assessments():
    """The catalogue knows assessments only through its abstract base, which the quizzes app implements."""
    assert AssessmentPage._meta.abstract
    assert assessment_page_models() == [QuizPage]
    track = make_track(modules=1, lessons=1)
    quiz = make_quiz(parent=track)
    assert quiz.question_count == len(quiz.questions) == 4
