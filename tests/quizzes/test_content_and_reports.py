"""Shipped quizzes meet the bar; staff reports are scoped; concurrent submissions grade once."""
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from lms.catalog.loader import read_content
from lms.catalog.models import ModulePage
from lms.quizzes.models import Attempt, QuestionBankPage, QuestionOutcome, QuizPage
from lms.quizzes.questions import question_specs
from lms.quizzes.services import attempt_start, attempt_submit
from tests.catalog.test_loader import CONTENT
from tests.factories import (make_enrolment, make_quiz, make_staff, make_track, make_trainee, make_training_body,
                             perfect_answers)


def test_every_module_has_a_quiz_of_8_questions_and_4_types_and_finals_have_30():
    content = read_content(CONTENT)
    for track in content.tracks:
        for module, *_ in track.modules:
            questions = module.quiz["questions"]
            assert len(questions) >= 8, module.slug
            assert len({q["type"] for q in questions}) >= 4, module.slug
        final = [q for module, *_ in track.modules for q in module.assessment]
        assert len(final) >= 30, track.slug
        assert track.final_assessment["pass_mark"] == 70


@pytest.mark.django_db
def test_loaded_quizzes_sit_where_they_belong():
    call_command("load_content", training_body=make_training_body().slug, stdout=StringIO())
    finals = QuizPage.objects.filter(depth=5)
    assert finals.count() == 2
    assert all(q.question_count >= 30 and q.max_attempts == 3 for q in finals)
    content = read_content(CONTENT)
    for final in finals:
        # The question bank: the final holds no copy; its pool is its modules' assessment.yaml, in their order,
        # read from each module's bank (the 12-day track's are aliases of the 4-month track's).
        assert len(final.questions) == 0 and final.include_module_questions
        track = next(t for t in content.tracks if t.slug == final.get_parent().slug)
        expected = [q["prompt"] for module, *_ in track.modules for q in module.assessment]
        assert [spec["prompt"] for spec in question_specs(final)] == expected
    assert len({frozenset(s["id"] for s in question_specs(f)) for f in finals}) == 2
    for module in ModulePage.objects.all():
        assert QuizPage.objects.child_of(module).count() == 1
        assert QuestionBankPage.objects.child_of(module).count() == 1


@pytest.mark.django_db
def test_quiz_report_is_scoped_and_shows_success_rates(client):
    track = make_track(modules=1, lessons=1)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get())
    enrolment = make_enrolment(track=track)
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    html = client.get(reverse("quiz_report", args=[quiz.pk])).content.decode()
    assert "100 %" in html and str(enrolment.trainee) in html
    assert client.get(reverse("learner_detail", args=[enrolment.pk])).status_code == 200
    assert client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 200
    for outsider in (make_staff(), make_trainee()):
        client.force_login(outsider)
        assert client.get(reverse("quiz_report", args=[quiz.pk])).status_code == 404
        assert client.get(reverse("learner_detail", args=[enrolment.pk])).status_code == 404
        assert client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_grade_once():
    track = make_track(modules=1, lessons=1)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get())
    enrolment = make_enrolment(track=track)
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    answers = perfect_answers(attempt)
    errors = []

    def submit():
        try:
            attempt_submit(attempt=attempt, answers=answers)
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [e for e in errors if "locked" not in str(e)]
    assert Attempt.objects.get().status == "submitted"
    assert QuestionOutcome.objects.count() == 4


def test_numeric_values_read_as_written_so_the_editor_accepts_them():
    from decimal import Decimal

    from lms.quizzes.blocks import NumericBlock

    block = NumericBlock()
    value = block.to_python({"prompt": "IMC ?", "points": 1, "feedback": "", "value": 22.9, "tolerance": 0.1,
                             "unit": "kg/m²"})
    assert value["value"] == Decimal("22.9") and value["tolerance"] == Decimal("0.1")
    cleaned = block.clean(value)  # the page editor's validation: at most 4 decimals
    assert cleaned["value"] == Decimal("22.9")
    assert block.to_python({"prompt": "x", "points": 1, "value": "3.5", "tolerance": 0})["value"] == Decimal("3.5")
