"""One test per statement: verb, object type, registration and result; every statement passes ralph's validation."""
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.models import LessonCompletion
from lms.learning.services import enrolment_create, lesson_complete
from lms.quizzes.services import attempt_start, attempt_submit
from lms.xapi import services as xapi_services
from lms.xapi.models import Statement
from lms.xapi.services import InvalidStatement, validate
from tests.factories import make_quiz, make_track, make_trainee, perfect_answers

pytestmark = pytest.mark.django_db
ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def journey():
    track = make_track(modules=1, lessons=1, title="Parcours test")
    module = ModulePage.objects.child_of(track).get()
    quiz = make_quiz(parent=module, title="Quiz module")
    final = make_quiz(parent=track, title="Évaluation finale")
    trainee = make_trainee(email="trace@example.org")
    enrolment = enrolment_create(trainee=trainee, track=track, training_body=track.training_body,
                                 starts_on=timezone.localdate())
    return {"track": track, "module": module, "quiz": quiz, "final": final, "enrolment": enrolment, "trainee": trainee}


def statements(verb):
    return [s.data for s in Statement.objects.filter(verb=verb).order_by("stored_at")]


def check_common(statement, journey):
    validate(statement)  # ralph's strict model
    assert statement["version"] == "1.0.3"
    assert statement["actor"] == {"objectType": "Agent", "account": {
        "homePage": "http://testserver", "name": str(journey["trainee"].public_id)}}
    assert "trace@example.org" not in json.dumps(statement)
    assert statement["context"]["registration"] == str(journey["enrolment"].registration)
    assert statement["context"]["platform"] == "Parcours AM" and statement["context"]["language"] == "fr-FR"
    assert statement["object"]["id"].startswith("http://testserver/xapi/activites/")
    assert statement["timestamp"].endswith("Z")


def test_registered(journey):
    [statement] = statements(ADL + "registered")
    check_common(statement, journey)
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/course"
    assert statement["object"]["id"] == f"http://testserver/xapi/activites/parcours/{journey['track'].pk}"


def test_lesson_experienced_with_duration(journey):
    lesson = LessonPage.objects.descendant_of(journey["track"]).get()
    lesson_complete(enrolment=journey["enrolment"], lesson=lesson, duration_seconds=754)
    [statement] = statements(ADL + "experienced")
    check_common(statement, journey)
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert statement["result"] == {"completion": True, "duration": "PT12M34S"}
    assert statement["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/module/{journey['module'].pk}")
    assert statement["context"]["contextActivities"]["grouping"][0]["id"].endswith(f"/parcours/{journey['track'].pk}")


def test_question_answered_attempted_and_passed_or_failed(journey):
    attempt = attempt_start(enrolment=journey["enrolment"], quiz=journey["quiz"])
    [started] = statements(ADL + "attempted")
    check_common(started, journey)
    answers = perfect_answers(attempt)
    wrong_single = next(q for q in attempt.questions if q["type"] == "single")
    answers[wrong_single["id"]] = next(c["id"] for c in wrong_single["choices"] if not c["correct"])
    attempt_submit(attempt=attempt, answers=answers)
    answered = statements(ADL + "answered")
    assert len(answered) == 4
    for statement in answered:
        check_common(statement, journey)
        assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert statement["object"]["definition"]["interactionType"] in {"choice", "true-false", "numeric", "fill-in"}
        assert "correctResponsesPattern" not in statement["object"]["definition"]
    wrong = next(s for s in answered if s["object"]["id"].endswith(wrong_single["id"]))
    assert wrong["result"]["success"] is False and wrong["result"]["response"]
    [result] = statements(ADL + "passed")  # 3 of 4 points = 75 % >= 70 %
    check_common(result, journey)
    assert result["result"]["score"] == {"scaled": 0.75, "raw": 3.0, "min": 0.0, "max": 4.0}
    assert result["result"]["success"] is True and result["result"]["duration"].startswith("PT")
    attempt = attempt_start(enrolment=journey["enrolment"], quiz=journey["final"])
    attempt_submit(attempt=attempt, answers={})
    [failed] = statements(ADL + "failed")
    assert failed["result"]["score"]["scaled"] == 0.0 and failed["result"]["success"] is False
    assert failed["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/parcours/{journey['track'].pk}")


def test_module_and_track_completed_and_certificate_earned(journey):
    lesson = LessonPage.objects.descendant_of(journey["track"]).get()
    lesson_complete(enrolment=journey["enrolment"], lesson=lesson)
    assert not statements(ADL + "completed")  # the module quiz is still to pass
    for quiz in (journey["quiz"], journey["final"]):
        attempt = attempt_start(enrolment=journey["enrolment"], quiz=quiz)
        attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    completed = statements(ADL + "completed")
    assert [s["object"]["definition"]["type"].rsplit("/", 1)[-1] for s in completed] == ["module", "course"]
    for statement in completed:
        check_common(statement, journey)
        assert statement["result"]["completion"] is True
    [earned] = statements("http://id.tincanapi.com/verb/earned")
    check_common(earned, journey)
    assert earned["object"]["definition"]["type"] == "https://w3id.org/xapi/cmi5/activitytype/certificate"
    module_done, track_done = completed
    track_iri = f"http://testserver/xapi/activites/parcours/{journey['track'].pk}"
    assert context_ids(module_done, "parent") == [track_iri]
    assert track_iri not in context_ids(module_done, "grouping")  # the parent is not also the grouping
    assert track_done["object"]["id"] == track_iri and "contextActivities" not in track_done["context"]


def context_ids(statement, kind):
    return [a["id"] for a in statement["context"].get("contextActivities", {}).get(kind, [])]


def test_no_statement_groups_its_own_object_or_its_parent(journey):
    """Over a whole journey (lesson, module quiz, final assessment, completions, certificate), grouping only adds."""
    lesson = LessonPage.objects.descendant_of(journey["track"]).get()
    lesson_complete(enrolment=journey["enrolment"], lesson=lesson)
    for quiz in (journey["quiz"], journey["final"]):
        attempt = attempt_start(enrolment=journey["enrolment"], quiz=quiz)
        attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    everything = [s.data for s in Statement.objects.all()]
    assert len({s["verb"]["id"] for s in everything}) == 7  # registered … earned
    for statement in everything:
        grouping = set(context_ids(statement, "grouping"))
        assert not grouping & {statement["object"]["id"], *context_ids(statement, "parent")}, statement


def test_question_ids_are_per_quiz_page_even_when_the_questions_are_copies(journey):
    """The same curriculum loaded for two training bodies, and a Wagtail copy, keep the questions' block ids:
    their statements must still name different activities."""
    other_track = make_track(modules=1, lessons=1)
    other_module = ModulePage.objects.child_of(other_track).get()
    same_content = [make_quiz(parent=module, title="Quiz", source_key="curriculum/module-1/quiz")
                    for module in (journey["module"], other_module)]
    copied = journey["quiz"].copy(to=other_module, update_attrs={"slug": "quiz-copie", "title": "Copie"})
    assert [b.id for b in copied.questions] == [b.id for b in journey["quiz"].questions]
    assert [b.id for b in same_content[0].questions] == [b.id for b in same_content[1].questions]
    other = enrolment_create(trainee=make_trainee(), track=other_track, training_body=other_track.training_body,
                             starts_on=timezone.localdate())
    ids = {}
    for enrolment, quiz in ((journey["enrolment"], journey["quiz"]), (other, copied),
                            (journey["enrolment"], same_content[0]), (other, same_content[1])):
        attempt = attempt_start(enrolment=enrolment, quiz=quiz)
        attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
        ids[quiz.pk] = {s["object"]["id"] for s in statements(ADL + "answered")
                        if s["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/quiz/{quiz.pk}")}
        assert len(ids[quiz.pk]) == 4
        assert all(i.startswith(f"http://testserver/xapi/activites/quiz/{quiz.pk}/question/") for i in ids[quiz.pk])
    assert not ids[journey["quiz"].pk] & ids[copied.pk]
    assert not ids[same_content[0].pk] & ids[same_content[1].pk]



def test_a_certification_result_is_passed_and_its_revocation_voids_it():
    """Issue 15, point 1 (d): recording the jury's result emits "passed" on the certification (ralph-valid, the
    track as parent, the jury's reference as response); revoking it voids exactly that statement."""
    from datetime import date

    from lms.learning.services import qualification_result_revoke
    from tests.certificates.test_certificates import complete
    from tests.factories import make_enrolment, record_result

    trainee = make_trainee(email="cqp@example.org")
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1, certification=True),
                                        starts_on=date(2026, 1, 5)))
    result = record_result(enrolment, obtained_on=date(2026, 6, 1), jury_reference="JURY-2026-042")
    [passed] = statements(ADL + "passed")
    validate(passed)
    assert passed["object"]["id"] == f"http://testserver/xapi/activites/certification/{enrolment.track_id}"
    assert passed["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"
    assert passed["object"]["definition"]["name"]["fr-FR"] == "CQP Assistant médical"
    assert passed["context"]["registration"] == str(enrolment.registration)
    assert passed["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": f"http://testserver/xapi/activites/parcours/{enrolment.track_id}"}]
    assert passed["result"] == {"success": True, "completion": True, "response": "JURY-2026-042"}
    assert passed["timestamp"] == "2026-05-31T22:00:00.000Z"  # 1 June in Paris
    assert "cqp@example.org" not in json.dumps(passed)
    qualification_result_revoke(result=result, reason="Erreur de saisie", revoked_by=None)
    [voided] = statements(ADL + "voided")
    validate(voided)
    assert voided["object"] == {"objectType": "StatementRef", "id": passed["id"]}


def test_statements_recorded_in_one_insert_keep_their_json_exactly(journey, django_assert_num_queries):
    """Several statements are one INSERT with one JSON value per row (lms.xapi.models.StatementJSONField: on
    PostgreSQL, not an array of the statements' JSON, whose every quote is escaped in Python); quotes, backslashes,
    accents and line breaks come back as they went in."""
    from lms.xapi import statements as xs

    track = xs.track_activity(journey["track"].pk, 'Parcours « 4 mois » "test" \\ C:\\dossier\nligne 2 — é')
    built = [xs.registered(actor_id=journey["trainee"].public_id, registration=journey["enrolment"].registration,
                           track=track, timestamp=timezone.now() + timedelta(seconds=n)) for n in range(3)]
    Statement.objects.all().delete()
    with django_assert_num_queries(1) as queries:
        xapi_services.record(built, actor=journey["trainee"])
    [insert] = [q["sql"] for q in queries.captured_queries]
    assert insert.startswith('INSERT INTO "xapi_statement"') and "UNNEST" not in insert
    stored = {str(s.id): s.data for s in Statement.objects.all()}
    assert stored == {s["id"]: json.loads(json.dumps(s)) for s in built}
    names = [next(iter(s["object"]["definition"]["name"].values())) for s in stored.values()]
    assert all(name.endswith("C:\\dossier\nligne 2 — é") for name in names)
