"""Attempts: start/resume, limits, saving as one goes, exactly-once grading, time limit, completion rules."""
import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage, ModulePage
from lms.core.errors import DomainError
from lms.learning.models import EnrolmentStatus, LessonCompletion, QuizCompletion
from lms.learning.selectors import track_structure
from lms.learning.progress import compute_progress
from lms.learning.selectors import done_items
from lms.learning.services import quiz_completion_record
from lms.quizzes.blocks import MultipleChoiceBlock, NumericBlock, SingleChoiceBlock
from lms.quizzes.models import Attempt, QuestionOutcome, QuizPage
from lms.quizzes.services import attempt_save, attempt_start, attempt_submit
from lms.xapi import vocabulary as xv
from lms.xapi.models import Statement
from tests.factories import SAMPLE_QUESTIONS, make_enrolment, make_quiz, make_track, make_trainee, perfect_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    track = make_track(modules=1, lessons=1)
    module = ModulePage.objects.child_of(track).get()
    quiz = make_quiz(parent=module, pass_mark=75, max_attempts=2)
    enrolment = make_enrolment(track=track)
    return track, module, quiz, enrolment


def test_start_resumes_the_attempt_in_progress(setup):
    _, _, quiz, enrolment = setup
    first = attempt_start(enrolment=enrolment, quiz=quiz)
    assert attempt_start(enrolment=enrolment, quiz=quiz).pk == first.pk
    assert first.number == 1 and len(first.questions) == 4


def test_attempt_limit_is_enforced(setup):
    _, _, quiz, enrolment = setup
    for _ in range(2):
        attempt_submit(attempt=attempt_start(enrolment=enrolment, quiz=quiz), answers={})
    with pytest.raises(DomainError, match="toutes les tentatives"):
        attempt_start(enrolment=enrolment, quiz=quiz)
    assert Attempt.objects.count() == 2


def test_submitting_twice_grades_once(setup):
    _, _, quiz, enrolment = setup
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    first = attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    second = attempt_submit(attempt=attempt, answers={})
    assert first.passed and second.passed and second.percent == 100
    assert QuestionOutcome.objects.filter(attempt=attempt).count() == 4
    assert Attempt.objects.get().submitted_at == first.submitted_at


def test_forged_choice_is_rejected_and_nothing_saved(setup):
    _, _, quiz, enrolment = setup
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    single = next(q for q in attempt.questions if q["type"] == "single")
    with pytest.raises(DomainError, match="n'appartient pas à sa question"):
        attempt_save(attempt=attempt, answers={single["id"]: "forged-choice"})
    with pytest.raises(DomainError, match="ne fait pas partie de cette tentative"):
        attempt_submit(attempt=attempt, answers={"not-a-question": "x"})
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.status == "in_progress"


def test_late_submission_is_graded_on_answers_saved_in_time(setup):
    _, _, quiz, enrolment = setup
    quiz.time_limit_minutes = 10
    quiz.save()
    start = timezone.now()
    attempt = attempt_start(enrolment=enrolment, quiz=quiz, now=start)
    perfect = perfect_answers(attempt)
    first_id = attempt.questions[0]["id"]
    attempt_save(attempt=attempt, answers={first_id: perfect[first_id]}, now=start + timedelta(minutes=5))
    late = attempt_submit(attempt=attempt, answers=perfect, now=start + timedelta(minutes=11))
    assert late.late
    assert late.score == 1  # only the answer saved before the limit counts


def test_saving_after_the_limit_submits_without_the_late_answers(setup):
    _, _, quiz, enrolment = setup
    quiz.time_limit_minutes = 1
    quiz.save()
    start = timezone.now()
    attempt = attempt_start(enrolment=enrolment, quiz=quiz, now=start)
    result = attempt_save(attempt=attempt, answers=perfect_answers(attempt), now=start + timedelta(minutes=2))
    assert result.status == "submitted" and result.late and result.score == 0


def test_draw_n_questions_is_stable_within_an_attempt(setup):
    _, _, quiz, enrolment = setup
    quiz.draw_count = 2
    quiz.save()
    attempt = attempt_start(enrolment=enrolment, quiz=quiz, rng=random.Random(3))
    assert len(attempt.questions) == 2
    again = attempt_start(enrolment=enrolment, quiz=quiz, rng=random.Random(99))
    assert [q["id"] for q in again.questions] == [q["id"] for q in attempt.questions]


def test_failed_quiz_never_completes_the_module(setup):
    track, module, quiz, enrolment = setup
    lesson = LessonPage.objects.descendant_of(track).get()
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    attempt = attempt_submit(attempt=attempt_start(enrolment=enrolment, quiz=quiz), answers={})
    assert not attempt.passed
    progress = compute_progress(track_structure(track), *done_items(enrolment))
    assert not progress.modules[0].complete
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_quiz_overview_shows_the_settings_and_hides_the_quiz_from_others(client, setup):
    track, module, quiz, enrolment = setup
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=25, intro="Dix minutes suffisent.")
    client.force_login(enrolment.trainee)
    html = client.get(reverse("quiz", args=[quiz.pk])).content.decode()
    for fact in ("<dd>4</dd>", "<dd>75 %</dd>", "<dd>2</dd>", "25 minutes", "Dix minutes suffisent.", "Commencer le quiz"):
        assert fact in html
    client.force_login(make_trainee())
    assert client.get(reverse("quiz", args=[quiz.pk])).status_code == 404
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    client.force_login(enrolment.trainee)
    assert client.get(reverse("quiz", args=[quiz.pk])).status_code == 404
    assert client.get(reverse("quiz", args=[10**15])).status_code == 404


def test_done_items_reads_lessons_done_and_quizzes_passed_once(setup):
    track, module, quiz, enrolment = setup
    other_quiz = make_quiz(parent=module, title="Autre quiz", max_attempts=None)
    lesson = LessonPage.objects.descendant_of(track).get()
    assert done_items(enrolment) == (set(), set(), set())  # the third: modules exempted after positioning
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    attempt_submit(attempt=attempt_start(enrolment=enrolment, quiz=quiz), answers={})  # failed
    for _ in range(2):  # passed twice: counted once
        attempt = attempt_start(enrolment=enrolment, quiz=other_quiz)
        attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    someone_else = make_enrolment(track=track)
    LessonCompletion.objects.create(enrolment=someone_else, lesson=lesson)
    assert done_items(enrolment) == ({lesson.pk}, {other_quiz.pk}, set())
    assert done_items(someone_else) == ({lesson.pk}, set(), set())


def test_passing_the_final_assessment_completes_the_track(setup):
    track, module, quiz, enrolment = setup
    final = make_quiz(parent=track, title="Évaluation finale")
    lesson = LessonPage.objects.descendant_of(track).get()
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the final assessment is still to pass
    attempt = attempt_start(enrolment=enrolment, quiz=final)
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at


def test_admin_refuses_inconsistent_questions():
    single = SingleChoiceBlock()
    with pytest.raises(ValidationError) as error:
        single.clean(single.to_python({"prompt": "?", "points": 1, "feedback": "",
                                       "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}]}))
    assert "exactement une bonne réponse" in str(error.value.as_json_data())
    numeric = NumericBlock()
    with pytest.raises(ValidationError) as error:
        numeric.clean(numeric.to_python({"prompt": "?", "points": 1, "value": None}))
    assert "valeur attendue" in str(error.value.as_json_data())
    multiple = MultipleChoiceBlock()
    with pytest.raises(ValidationError):
        multiple.clean(multiple.to_python({"prompt": "?", "points": 1, "scoring": "partial",
                                           "choices": [{"text": "a", "correct": False}, {"text": "b", "correct": False}]}))


# --- Views -------------------------------------------------------------------------------------------------

def test_attempt_page_never_contains_answers_or_feedback(client, setup):
    _, _, quiz, enrolment = setup
    client.force_login(enrolment.trainee)
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    html = client.get(response.url).content.decode()
    assert "3 à 5 minutes" in html  # the choices are shown
    for secret in ("FEEDBACK-SECRET-A", "FEEDBACK-SECRET-B", "Trois à cinq minutes de repos", "31.25", "31,25",
                   "carte Vitale", "correct"):
        assert secret not in html


def test_form_post_saves_then_submits_and_shows_feedback(client, setup):
    _, _, quiz, enrolment = setup
    client.force_login(enrolment.trainee)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    single = next(q for q in attempt.questions if q["type"] == "single")
    wrong = next(c["id"] for c in single["choices"] if not c["correct"])
    response = client.post(reverse("attempt", args=[attempt.pk]), {f"q-{single['id']}": wrong, "action": "save"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.answers == {single["id"]: wrong}
    assert f'value="{wrong}" checked' in client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    response = client.post(reverse("attempt", args=[attempt.pk]), {f"q-{single['id']}": wrong, "action": "submit"})
    assert response.url == reverse("attempt_result", args=[attempt.pk])
    html = client.get(response.url).content.decode()
    assert "Non réussi" in html and "FEEDBACK-SECRET-A" in html  # feedback after each attempt (default)
    client.post(reverse("attempt", args=[attempt.pk]), {"action": "submit"})
    assert Attempt.objects.get().score == 0


def test_forged_choice_in_form_gets_400_with_message(client, setup):
    _, _, quiz, enrolment = setup
    client.force_login(enrolment.trainee)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    single = next(q for q in attempt.questions if q["type"] == "single")
    response = client.post(reverse("attempt", args=[attempt.pk]), {f"q-{single['id']}": "forged", "action": "submit"})
    assert response.status_code == 400
    assert "n&#x27;appartient pas à sa question" in response.content.decode()
    assert Attempt.objects.get().status == "in_progress"
    response = client.post(reverse("attempt_autosave", args=[attempt.pk]), {f"q-{single['id']}": "forged"})
    assert response.status_code == 400 and "appartient" in response.json()["error"]


def test_feedback_after_last_attempt_is_hidden_until_then(client, setup):
    _, _, quiz, enrolment = setup
    quiz.feedback_mode = "after_last"
    quiz.save()
    client.force_login(enrolment.trainee)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    first = Attempt.objects.get()
    client.post(reverse("attempt", args=[first.pk]), {"action": "submit"})
    html = client.get(reverse("attempt_result", args=[first.pk])).content.decode()
    assert "Trois à cinq minutes de repos" not in html and "après votre dernière tentative" in html
    client.post(reverse("quiz_start", args=[quiz.pk]))
    second = Attempt.objects.get(number=2)
    client.post(reverse("attempt", args=[second.pk]), {"action": "submit"})
    html = client.get(reverse("attempt_result", args=[first.pk])).content.decode()
    assert "Trois à cinq minutes de repos" in html and "FEEDBACK-SECRET-B" in html


def test_only_the_owner_sees_or_submits_an_attempt(client, setup):
    _, _, quiz, enrolment = setup
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    client.force_login(make_trainee())
    assert client.get(reverse("attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("attempt", args=[attempt.pk]), {"action": "submit"}).status_code == 404
    assert client.post(reverse("attempt_autosave", args=[attempt.pk]), {}).status_code == 404
    assert client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_quiz_pages_use_bounded_queries_for_60_questions(client, django_assert_max_num_queries):
    track = make_track(modules=1, lessons=1)
    module = ModulePage.objects.child_of(track).get()
    quiz = make_quiz(parent=module, questions=SAMPLE_QUESTIONS * 15)
    enrolment = make_enrolment(track=track)
    client.force_login(enrolment.trainee)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    assert len(attempt.questions) == 60
    with django_assert_max_num_queries(8):
        assert client.get(reverse("attempt", args=[attempt.pk])).status_code == 200
    post = {f"q-{qid}": value for qid, value in perfect_answers(attempt).items()}
    post["action"] = "submit"
    with django_assert_max_num_queries(SUBMIT_STATEMENTS + 2):  # and the test transaction's savepoint pair
        assert client.post(reverse("attempt", args=[attempt.pk]), post).status_code == 302
    assert Attempt.objects.get().percent == 100
    with django_assert_max_num_queries(7):
        response = client.get(reverse("quiz", args=[quiz.pk]))
    assert response.status_code == 200
    assert "<dt>Questions</dt><dd>60</dd>" in response.content.decode()  # the pool's size, from the structure


SUBMIT_STATEMENTS = 7  # what a passing submission sends, whatever the number of questions (see below)


@pytest.mark.parametrize("size", [10, 60])
def test_a_submission_is_one_bulk_write_whatever_the_number_of_questions(client, size, django_assert_max_num_queries):
    """Session and user; the attempt with its quiz, enrolment and trainee, locked; the attempt's row; the question
    outcomes in one insert; the xAPI statements in one insert; then, the quiz being passed, learning's record of it
    (one insert) and what the enrolment has done (lessons, quizzes and the modules recorded, in one query). Besides
    these, only the savepoint pair that the test's own transaction makes of the request's BEGIN and COMMIT: no other
    savepoint, nothing per question."""
    track = make_track(modules=1, lessons=1)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get(), questions=(SAMPLE_QUESTIONS * 15)[:size])
    enrolment = make_enrolment(track=track)
    client.force_login(enrolment.trainee)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    post = {f"q-{qid}": value for qid, value in perfect_answers(attempt).items()} | {"action": "submit"}
    with django_assert_max_num_queries(SUBMIT_STATEMENTS + 2) as queries:
        assert client.post(reverse("attempt", args=[attempt.pk]), post).status_code == 302
    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(savepoints) == 2 and len(queries.captured_queries) - 2 <= SUBMIT_STATEMENTS
    attempt.refresh_from_db()
    assert attempt.passed and attempt.percent == 100 and attempt.outcomes.count() == size
    assert Statement.objects.filter(verb=xv.ANSWERED[0]).count() == size
    with django_assert_max_num_queries(4):  # a double click: read (locked), found graded, redirected
        assert client.post(reverse("attempt", args=[attempt.pk]), post).url == reverse("attempt_result",
                                                                                      args=[attempt.pk])
    assert QuestionOutcome.objects.count() == size and Attempt.objects.get().submitted_at == attempt.submitted_at


def test_a_failed_submission_asks_learning_nothing(client, setup, django_assert_max_num_queries):
    """A failed quiz completes nothing: session, attempt, its row, outcomes, statements (and the test's pair)."""
    _track, _module, quiz, enrolment = setup
    client.force_login(enrolment.trainee)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    with django_assert_max_num_queries(5 + 2):
        assert client.post(reverse("attempt", args=[attempt.pk]), {"action": "submit"}).status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and not attempt.passed and attempt.outcomes.count() == 4


def test_a_long_history_is_paged_newest_first_with_counts_and_best_from_all(client, django_assert_max_num_queries):
    import re
    from decimal import Decimal

    track = make_track(modules=1, lessons=1)
    module = ModulePage.objects.child_of(track).get()
    quiz = make_quiz(parent=module, pass_mark=90, max_attempts=None)
    enrolment = make_enrolment(track=track)
    now = timezone.now()
    Attempt.objects.bulk_create([
        Attempt(enrolment=enrolment, quiz=quiz, number=n, status="submitted", questions=[], answers={},
                started_at=now, submitted_at=now, percent=Decimal("95") if n == 3 else Decimal("40"), passed=n == 3)
        for n in range(1, 26)])
    attempt_start(enrolment=enrolment, quiz=quiz)  # the 26th, in progress
    client.force_login(enrolment.trainee)
    url = reverse("quiz", args=[quiz.pk])
    client.get(url)
    # session and user, page and enrolment, its page privacy, the newest, the counts, the best, one page
    with django_assert_max_num_queries(7):
        html = client.get(url).content.decode()
    rows = re.findall(r'<th scope="row">(\d+)</th>', html)
    assert rows == [str(n) for n in range(25, 15, -1)]  # one page of ten, newest first
    assert "Réussi — meilleur score 95 %" in html  # the best is attempt 3, on no page shown
    assert "Reprendre ma tentative" in html
    assert "Lignes 1 à 10 sur 25" in html and 'href="?page=3"' in html
    last = client.get(url, {"page": "3"}).content.decode()
    assert re.findall(r'<th scope="row">(\d+)</th>', last) == ["5", "4", "3", "2", "1"]
    assert re.findall(r'<th scope="row">(\d+)</th>', client.get(url, {"page": "x"}).content.decode())[0] == "25"


def test_a_short_history_is_read_in_one_query_and_not_paged(client, setup, django_assert_num_queries):
    _track, _module, quiz, enrolment = setup  # two attempts allowed
    attempt_submit(attempt=attempt_start(enrolment=enrolment, quiz=quiz), answers={})
    client.force_login(enrolment.trainee)
    client.get(reverse("quiz", args=[quiz.pk]))
    # session and user, the page with the enrolment, its page privacy (lms.learning.access), the attempts
    with django_assert_num_queries(4):
        html = client.get(reverse("quiz", args=[quiz.pk])).content.decode()
    assert "1 tentative restante." in html and 'class="pagination"' not in html and "Réessayer" in html
    assert '<th scope="row">1</th>' in html


@pytest.fixture
def timed_and_expired(setup):
    """A timed attempt whose saved answers hold a number out of any measure, found after its time limit."""
    _, _, quiz, enrolment = setup
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=10)
    quiz.refresh_from_db()
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    answers = perfect_answers(attempt)
    numeric = next(q["id"] for q in attempt.questions if q["type"] == "numeric")
    answers[numeric] = "1e1000000"
    attempt_save(attempt=attempt, answers=answers)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    return quiz, enrolment, attempt


def assert_closed_on_what_was_saved(attempt):
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.late
    assert attempt.score == 3 and attempt.max_score == 4  # every saved answer right but the out-of-range number
    assert QuestionOutcome.objects.filter(attempt=attempt).count() == 4


@pytest.mark.parametrize("entry", ["attempt page", "autosave", "submit", "restart", "quiz overview"])
def test_a_timed_attempt_past_its_limit_is_closed_by_any_access(client, timed_and_expired, entry):
    """Whatever the trainee opens after the limit, the attempt is closed and graded on the answers saved in time."""
    quiz, enrolment, attempt = timed_and_expired
    client.force_login(enrolment.trainee)
    response = {
        "attempt page": lambda: client.get(reverse("attempt", args=[attempt.pk])),
        "autosave": lambda: client.post(reverse("attempt_autosave", args=[attempt.pk]), {}),
        "submit": lambda: client.post(reverse("attempt", args=[attempt.pk]), {"action": "submit"}),
        "restart": lambda: client.post(reverse("quiz_start", args=[quiz.pk])),
        "quiz overview": lambda: client.get(reverse("quiz", args=[quiz.pk])),
    }[entry]()
    assert response.status_code in (200, 302, 409)
    assert_closed_on_what_was_saved(attempt)
    if entry == "restart":
        assert Attempt.objects.get(enrolment=enrolment, status="in_progress").number == 2


def test_a_double_submit_after_the_limit_grades_once(client, timed_and_expired):
    _, enrolment, attempt = timed_and_expired
    client.force_login(enrolment.trainee)
    for _ in range(2):
        response = client.post(reverse("attempt", args=[attempt.pk]), {"action": "submit"})
        assert response.status_code == 302 and response["Location"] == reverse("attempt_result", args=[attempt.pk])
    assert_closed_on_what_was_saved(attempt)
    assert client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 200


def test_an_answer_out_of_any_measure_is_graded_wrong_through_the_page(client, setup):
    _, _, quiz, enrolment = setup
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    numeric = next(q for q in attempt.questions if q["type"] == "numeric")
    client.force_login(enrolment.trainee)
    response = client.post(reverse("attempt", args=[attempt.pk]), {f"q-{numeric['id']}": "1e1000000", "action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_accesses_after_the_limit_close_the_attempt_once():
    """Autosave, a new start and two page loads at the same moment after the limit: one grading, one new attempt."""
    import threading

    from django.db import connection

    from lms.quizzes.services import attempt_close_if_expired

    track = make_track(modules=1, lessons=1)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get(), time_limit_minutes=10)
    enrolment = make_enrolment(track=track)
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    attempt_save(attempt=attempt, answers=perfect_answers(attempt))
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    attempt.refresh_from_db()
    errors, barrier = [], threading.Barrier(4)

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            connection.close()

    actions = [lambda: attempt_close_if_expired(attempt=attempt), lambda: attempt_close_if_expired(attempt=attempt),
               lambda: attempt_save(attempt=attempt, answers={}), lambda: attempt_start(enrolment=enrolment, quiz=quiz)]
    threads = [threading.Thread(target=run, args=[action]) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A save that finds the attempt closed by another request says so (a 400 with its message on the autosave)
    assert not [e for e in errors if "locked" not in str(e) and not isinstance(e, DomainError)], errors
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.late and attempt.score == 4
    assert QuestionOutcome.objects.filter(attempt=attempt).count() == 4
    assert Attempt.objects.filter(enrolment=enrolment, status="in_progress").count() <= 1


def test_a_pass_is_recorded_once_in_learning_at_its_first_pass(setup, django_assert_num_queries):
    """The quizzes app tells learning of a pass (QuizCompletion); a failure tells nothing; done_items reads
    learning's records in one query."""
    track, module, quiz, enrolment = setup
    attempt_submit(attempt=attempt_start(enrolment=enrolment, quiz=quiz), answers={})  # failed
    assert not QuizCompletion.objects.exists()
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    passed_at = timezone.now()
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt), now=passed_at)
    assert list(QuizCompletion.objects.values_list("enrolment_id", "quiz_id", "completed_at")) == [
        (enrolment.pk, quiz.pk, passed_at)]
    quiz_completion_record(enrolment=enrolment, quiz=quiz, now=passed_at + timedelta(days=1))  # again: kept once
    assert QuizCompletion.objects.get().completed_at == passed_at
    with django_assert_num_queries(1):
        assert done_items(enrolment) == (set(), {quiz.pk}, set())


def test_migration_backfills_learning_records_from_passing_attempts(setup):
    """Quizzes passed before learning kept its own record get one, dated by their first passing attempt."""
    import importlib

    from django.apps import apps

    track, module, quiz, enrolment = setup
    final = make_quiz(parent=track, max_attempts=None)
    first, later = timezone.now() - timedelta(days=3), timezone.now() - timedelta(days=1)
    for number, (page, passed, submitted_at) in enumerate([(quiz, False, first - timedelta(hours=1)),
                                                           (quiz, True, first), (final, False, later)], start=1):
        Attempt.objects.create(enrolment=enrolment, quiz=page, number=number, status="submitted", started_at=submitted_at,
                               submitted_at=submitted_at, passed=passed)
    Attempt.objects.create(enrolment=enrolment, quiz=quiz, number=9, status="submitted", started_at=later,
                           submitted_at=later, passed=True)
    migration = importlib.import_module("lms.quizzes.migrations.0004_backfill_quiz_completions")
    migration.backfill(apps, None)
    migration.backfill(apps, None)  # run twice: nothing more
    assert list(QuizCompletion.objects.values_list("enrolment_id", "quiz_id", "completed_at")) == [
        (enrolment.pk, quiz.pk, first)]
