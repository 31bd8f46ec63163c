"""The question bank (issue 16, point 9): each module has a bank of questions for the final assessment (a page of a
few questions, not shown to trainees), and a final assessment that adds its modules' questions draws from the live
banks, in the modules' order, instead of holding copies."""
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from lms.catalog.models import ModulePage
from lms.learning.selectors import track_structure
from lms.quizzes.content import question_blocks
from lms.quizzes.models import QuestionBankPage, QuizPurpose
from lms.quizzes.questions import question_specs
from lms.quizzes.services import attempt_start, attempt_submit
from tests.factories import make_enrolment, make_quiz, make_staff, make_track, perfect_answers


def _question(prompt, answer=True):
    return {"type": "truefalse", "prompt": prompt, "points": 1, "answer": answer}


def make_bank(module, prompts, key):
    bank = module.add_child(instance=QuestionBankPage(
        title="Questions pour l'évaluation finale", slug="questions-evaluation-finale",
        questions=question_blocks([_question(prompt) for prompt in prompts], key)))
    return QuestionBankPage.objects.get(pk=bank.pk)


def _bank_track(**final_settings):
    """A track of two modules, each with a quiz of its own and a bank of two questions, and a final assessment that
    holds one question itself and adds its modules'."""
    track = make_track(modules=2, lessons=1)
    modules = list(ModulePage.objects.child_of(track).order_by("path"))
    module_quizzes = [make_quiz(parent=module, title=f"Quiz M{n}", questions=[_question(f"Quiz M{n} seulement")])
                      for n, module in enumerate(modules, start=1)]
    banks = [make_bank(module, [f"M{n} pour la finale {k}" for k in (1, 2)], f"m{n}/bank")
             for n, module in enumerate(modules, start=1)]
    final = make_quiz(parent=track, title="Évaluation finale", questions=[_question("Question propre à la finale")],
                      include_module_questions=True, **final_settings)
    return track, module_quizzes, banks, final


def _prompts(quiz):
    return [spec["prompt"] for spec in question_specs(quiz)]


@pytest.mark.django_db
def test_a_final_assessment_draws_its_own_questions_then_its_modules_in_their_order():
    track, module_quizzes, _banks, final = _bank_track()
    assert _prompts(final) == ["Question propre à la finale", "M1 pour la finale 1", "M1 pour la finale 2",
                               "M2 pour la finale 1", "M2 pour la finale 2"]
    assert final.question_count == 5 and track_structure(track).final_assessment.question_count == 5
    # A module quiz asks only its own questions, never its module's bank.
    assert _prompts(module_quizzes[0]) == ["Quiz M1 seulement"] and module_quizzes[0].question_count == 1

    enrolment = make_enrolment(track=track)
    attempt = attempt_start(enrolment=enrolment, quiz=final)
    assert sorted(q["prompt"] for q in attempt.questions) == sorted(_prompts(final))
    graded = attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    assert graded.passed and graded.max_score == 5
    assert graded.outcomes.count() == 5


@pytest.mark.django_db
def test_a_final_without_the_flag_and_a_bank_not_live_add_nothing():
    _track, _quizzes, banks, final = _bank_track()
    banks[1].unpublish()
    assert _prompts(final) == ["Question propre à la finale", "M1 pour la finale 1", "M1 pour la finale 2"]
    final.include_module_questions = False
    assert _prompts(final) == ["Question propre à la finale"] and final.question_count == 1


@pytest.mark.django_db
def test_draw_count_is_checked_against_the_whole_pool():
    _track, _quizzes, _banks, final = _bank_track(draw_count=4)
    final.full_clean()  # 4 of 5: allowed although the final holds one question itself
    final.draw_count = 6
    with pytest.raises(ValidationError) as error:
        final.full_clean()
    assert "(5)" in str(error.value.message_dict["draw_count"])


@pytest.mark.django_db
def test_a_positioning_test_cannot_add_the_modules_questions():
    _track, _quizzes, _banks, final = _bank_track()
    final.purpose = QuizPurpose.POSITIONING
    with pytest.raises(ValidationError) as error:
        final.full_clean()
    assert "include_module_questions" in error.value.message_dict


@pytest.mark.django_db
def test_a_bank_is_not_a_page_for_trainees(client):
    track, _quizzes, banks, _final = _bank_track()
    enrolment = make_enrolment(track=track)
    client.force_login(enrolment.trainee)
    assert client.get(banks[0].url).status_code == 404
    structure = track_structure(track)  # nor an item of the track: no lesson, no quiz of its own
    assert all(quiz.id != banks[0].pk for module in structure.modules for quiz in [module.quiz] if quiz)
    assert banks[0].pk not in {lesson.id for module in structure.modules for lesson in module.lessons}


@pytest.mark.django_db
def test_a_question_edited_once_in_a_bank_reaches_every_track_at_its_next_attempt(django_capture_on_commit_callbacks):
    track, _quizzes, banks, final = _bank_track()
    # A second track that includes the same module: its bank is an alias, its final draws from it.
    other = make_track(modules=1, lessons=1)
    other_module = ModulePage.objects.child_of(other).get()
    alias = banks[0].create_alias(parent=other_module, update_slug=banks[0].slug)
    other_final = make_quiz(parent=other, title="Finale courte", questions=[_question("Finale courte")],
                            include_module_questions=True)
    assert _prompts(other_final)[1:] == ["M1 pour la finale 1", "M1 pour la finale 2"]
    assert track_structure(other).final_assessment.question_count == 3

    source = banks[0]
    source.questions = question_blocks([_question("M1 pour la finale, corrigée", answer=False)], "m1/bank-v2")
    with django_capture_on_commit_callbacks(execute=True):
        source.save_revision().publish()

    alias.refresh_from_db()
    assert [block.value["prompt"] for block in alias.questions] == ["M1 pour la finale, corrigée"]
    for quiz, own in ((final, "Question propre à la finale"), (other_final, "Finale courte")):
        quiz.refresh_from_db()
        assert _prompts(quiz)[:2] == [own, "M1 pour la finale, corrigée"]
    assert track_structure(other).final_assessment.question_count == 2
    assert track_structure(track).final_assessment.question_count == 4
    attempt = attempt_start(enrolment=make_enrolment(track=other), quiz=other_final)
    corrected = next(q for q in attempt.questions if q["prompt"] == "M1 pour la finale, corrigée")
    assert corrected["answer"] is False


@pytest.mark.django_db
def test_the_final_assessment_editor_shows_the_pool_and_links_each_bank(client):
    track, _quizzes, banks, final = _bank_track()
    client.force_login(make_staff(training_body=track.training_body, role="author"))
    html = unescape(client.get(f"/cms/pages/{final.pk}/edit/").content.decode())
    assert "Chaque tentative tire ses questions parmi 5 questions" in html
    assert "1 écrite sur cette page" in html
    for bank in banks:
        assert f'href="/cms/pages/{bank.pk}/edit/"' in html
    assert html.count("— 2 questions") == 2
    # A bank's own editor: an author adds and edits its questions there.
    assert "M1 pour la finale 1" in unescape(client.get(f"/cms/pages/{banks[0].pk}/edit/").content.decode())


@pytest.mark.django_db
def test_only_a_final_assessment_adds_the_modules_questions_and_a_module_has_one_bank():
    track, module_quizzes, banks, _final = _bank_track()
    module_quiz = module_quizzes[0]
    module_quiz.include_module_questions = True
    with pytest.raises(ValidationError) as error:
        module_quiz.full_clean()
    assert "include_module_questions" in error.value.message_dict
    module = ModulePage.objects.child_of(track).order_by("path").first()
    # Wagtail offers the bank under a module without one, never a second one, nor a bank under a track.
    assert not QuestionBankPage.can_create_at(module)
    banks[0].delete()
    assert QuestionBankPage.can_create_at(ModulePage.objects.get(pk=module.pk))
    assert not QuestionBankPage.can_create_at(track)
