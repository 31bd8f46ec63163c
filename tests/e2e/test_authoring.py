"""An author saves the shipped final assessment (63 questions) in Wagtail's page editor: every field posted is kept."""
from urllib.parse import parse_qsl

import pytest

from lms.catalog.loader import read_content
from lms.quizzes.models import QuizPage
from tests.e2e.conftest import ROOT, login
from tests.factories import PASSWORD, make_quiz, make_track, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_shipped_final_assessment_saves_from_the_page_editor(page, live_server):
    spec = next(t for t in read_content(ROOT / "content").tracks if t.slug == "assistant-medical-4-mois")
    questions = [q for module, *_ in spec.modules for q in module.assessment]
    assert len(questions) >= 60  # every module's assessment questions: the largest page an author edits
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), title="Évaluation finale", questions=questions)
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)

    login(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server.url}/cms/pages/{quiz.pk}/edit/")
    page.locator("#id_title").fill("Évaluation finale révisée")
    with page.expect_response(lambda r: r.request.method == "POST" and f"/pages/{quiz.pk}/edit/" in r.url) as saved:
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    response = saved.value
    body, content_type = response.request.post_data, response.request.headers.get("content-type", "")
    fields = body.count("Content-Disposition: form-data;") if "multipart" in content_type else len(parse_qsl(body))
    assert fields > 1000  # more than Django's default limit: the editor posts every block's fields
    page.wait_for_load_state()
    errors = [e for e in page.locator(".help-critical, .error-message, .w-field__errors").all_inner_texts() if e.strip()]
    assert response.status == 302 and not errors, (response.status, errors[:5])
    revision = QuizPage.objects.get(pk=quiz.pk).latest_revision
    assert revision.content["title"] == "Évaluation finale révisée"
    saved_questions = revision.as_object().questions
    assert len(saved_questions) == len(questions)
    assert "20.6" in [str(q.value["value"]) for q in saved_questions if q.block_type == "numeric"]  # as written
    # Every question posted as it was, whether the author opened it or not (lms/quizzes/static/quizzes/
    # lazy-question.js builds a question's fields when it is reached, and posts the others as hidden inputs).
    assert as_data(saved_questions) == as_data(quiz.questions)


def as_data(stream):
    return [(block.block_type, block.id, block.block.get_form_state(block.value)) for block in stream]
