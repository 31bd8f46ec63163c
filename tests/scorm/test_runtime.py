"""The SCO's sessions on the server (lms.scorm.services, views): launch, commit, completion, time, resume, xAPI;
and the data model's checks (lms.scorm.cmi), never trusting the browser."""
import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings as hypothesis_settings, strategies as st

from lms.core.errors import DomainError
from lms.learning.models import LessonCompletion
from lms.learning.realised import realised_duration
from lms.scorm import services
from lms.scorm.cmi import CmiError, clean_commit, seconds_timespan, timespan_seconds
from lms.scorm.models import ScormAttempt, ScormPackage
from lms.xapi.models import Statement
from lms.xapi.services import validate
from tests.factories import PASSWORD, make_enrolment, make_track
from tests.scorm.packages import make_scorm_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    track = make_track(modules=1, lessons=1)
    enrolment = make_enrolment(track=track)
    return track, enrolment


def launch_and_commit(enrolment, lesson, values, *, finished=True, now=None):
    state = services.attempt_launch(enrolment=enrolment, lesson=lesson, now=now)
    return state, services.attempt_commit(enrolment=enrolment, lesson=lesson, session=state["session"], values=values,
                                          finished=finished, now=(now or timezone.now()) + timedelta(minutes=10))


def test_a_completed_sco_marks_the_lesson_done_and_counts_its_time(world):
    """Status completed: the lesson is done (learning's completion), the session time is realised time, and the
    statements initialized, completed and terminated are valid xAPI."""
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    state, attempt = launch_and_commit(enrolment, lesson, {
        "cmi.core.lesson_status": "completed", "cmi.core.score.raw": "90", "cmi.core.session_time": "0000:05:00",
        "cmi.interactions.0.id": "q1", "cmi.interactions.0.result": "correct"})
    assert state["values"]["cmi.core.entry"] == "ab-initio"
    assert state["values"]["cmi.core.student_name"] == "Durand, Alice"
    assert attempt.lesson_status == "completed" and attempt.score_raw == 90 and attempt.session_seconds == 300
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lesson.pk).exists()
    assert realised_duration(enrolment).parts["scorm"] == 300
    verbs = list(Statement.objects.filter(actor=enrolment.trainee).values_list("verb", flat=True))
    assert any(verb.endswith("/initialized") for verb in verbs)
    assert any(verb.endswith("/completed") for verb in verbs)
    assert any(verb.endswith("/terminated") for verb in verbs)
    for statement in Statement.objects.filter(actor=enrolment.trainee):
        validate(statement.data)


def test_a_score_under_the_mastery_score_fails_and_the_lesson_stays_to_do(world):
    """The LMS decides passed/failed from the mastery score (SCORM 1.2 RTE 3.4.4): 40 < 80 is failed."""
    track, enrolment = world
    lesson = make_scorm_lesson(track=track, scenario="fail")
    _state, attempt = launch_and_commit(enrolment, lesson, {"cmi.core.lesson_status": "completed",
                                                             "cmi.core.score.raw": "40"})
    assert attempt.lesson_status == "failed"
    assert not LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lesson.pk).exists()
    failed = Statement.objects.filter(actor=enrolment.trainee, verb__endswith="/failed").get()
    assert failed.data["result"]["success"] is False and failed.data["result"]["score"]["raw"] == 40.0


def test_a_suspended_session_resumes_with_its_location_and_data(world):
    track, enrolment = world
    lesson = make_scorm_lesson(track=track, scenario="suspend")
    launch_and_commit(enrolment, lesson, {"cmi.core.lesson_location": "chapitre-2", "cmi.suspend_data": "a,b",
                                          "cmi.core.exit": "suspend", "cmi.core.lesson_status": "incomplete",
                                          "cmi.core.session_time": "0000:01:00"})
    state = services.attempt_launch(enrolment=enrolment, lesson=lesson)
    assert state["values"]["cmi.core.entry"] == "resume"
    assert state["values"]["cmi.core.lesson_location"] == "chapitre-2"
    assert state["values"]["cmi.suspend_data"] == "a,b"
    assert state["values"]["cmi.core.total_time"] == "0000:01:00"
    assert Statement.objects.filter(actor=enrolment.trainee, verb__endswith="/suspended").exists()


def test_the_session_time_is_capped_by_the_servers_clock(world):
    """A SCO claiming 99 hours in a 10-minute session is counted 10 minutes (and the slack)."""
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    _state, attempt = launch_and_commit(enrolment, lesson, {"cmi.core.session_time": "0099:00:00"})
    assert attempt.session_seconds == 11 * 60


def test_a_stale_session_or_bad_data_changes_nothing(world):
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    first = services.attempt_launch(enrolment=enrolment, lesson=lesson)
    services.attempt_launch(enrolment=enrolment, lesson=lesson)  # another tab
    with pytest.raises(DomainError):
        services.attempt_commit(enrolment=enrolment, lesson=lesson, session=first["session"],
                                values={"cmi.core.lesson_status": "completed"}, finished=True)
    attempt = ScormAttempt.objects.get()
    with pytest.raises(DomainError) as refused:
        services.attempt_commit(enrolment=enrolment, lesson=lesson, session=str(attempt.session_key),
                                values={"cmi.core.lesson_location": "ok", "cmi.suspend_data": "x" * 5000},
                                finished=False)
    assert "cmi.suspend_data" in refused.value.message
    attempt.refresh_from_db()
    assert attempt.lesson_status == "not attempted" and attempt.lesson_location == ""
    assert not LessonCompletion.objects.exists()


@pytest.mark.parametrize("values", [
    {"cmi.core.student_id": "autre"},  # read only
    {"cmi.core.lesson_status": "not attempted"},
    {"cmi.core.lesson_status": "fini"},
    {"cmi.core.score.raw": "101"},
    {"cmi.core.score.raw": "NaN"},
    {"cmi.core.session_time": "1:00"},
    {"cmi.core.exit": "partir"},
    {"cmi.interactions.1.id": "q2"},  # a gap: index 0 missing
    {"cmi.interactions.0.type": "essay"},
    {"cmi.interactions.0.id": "avec espace"},
    {"cmi.objectives.100.id": "o"},
    {"cmi.comments": "x" * 4097},
    {"cmi.core.lesson_location": 42},
    {"cmi.inexistant": "x"},
])
def test_the_server_refuses_what_scorm_12_forbids(values):
    with pytest.raises(CmiError):
        clean_commit(values)


def test_the_server_accepts_the_data_model():
    cleaned = clean_commit({
        "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "75.5", "cmi.core.score.min": "",
        "cmi.objectives.0.id": "obj-1", "cmi.objectives.0.status": "passed",
        "cmi.interactions.0.id": "q1", "cmi.interactions.0.time": "10:00:00", "cmi.interactions.0.type": "numeric",
        "cmi.interactions.0.result": "2.5", "cmi.interactions.0.latency": "0000:00:12.5",
        "cmi.interactions.0.correct_responses.0.pattern": "3", "cmi.interactions.0.objectives.0.id": "obj-1",
        "cmi.student_preference.text": "-1"})
    assert cleaned["core"]["cmi.core.score.raw"] == "75.5"
    assert cleaned["interactions"][0]["correct_responses"] == ["3"]
    assert cleaned["objectives"] == [{"id": "obj-1", "status": "passed"}]


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_scores_outside_0_100_or_not_numbers_are_refused(text):
    try:
        cleaned = clean_commit({"cmi.core.score.raw": text})
    except CmiError:
        return
    value = cleaned["core"]["cmi.core.score.raw"]
    assert value is None or 0 <= float(value) <= 100


@given(st.integers(min_value=0, max_value=9999 * 3600))
def test_timespans_round_trip(seconds):
    assert timespan_seconds(seconds_timespan(seconds)) == seconds


# --- Views --------------------------------------------------------------------------------------------


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def test_the_lesson_page_plays_the_sco_in_a_sandboxed_frame(client, world):
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    login(client, enrolment.trainee)
    html = client.get(reverse("lesson", args=[lesson.pk])).content.decode()
    assert 'sandbox="allow-scripts allow-same-origin allow-forms"' in html
    assert "Activité interactive : Activité SCORM" in html
    assert "scorm/runtime.js" in html and "heartbeat.js" not in html
    assert "Marquer comme terminée" not in html
    # Nor can the button's URL be posted to: the SCO says when it is done.
    assert client.post(reverse("lesson_mark_done", args=[lesson.pk])).status_code == 404


def test_the_player_speaks_the_readers_language(client, world):
    """The lesson body is cached per language: an English reader after a French one gets the English player."""
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    login(client, enrolment.trainee)
    french = client.get(reverse("lesson", args=[lesson.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(reverse("lesson", args=[lesson.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "L’activité se charge…" in french and "The activity is loading…" not in french
    assert "The activity is loading…" in english and "L’activité se charge…" not in english


def test_the_package_files_are_served_with_the_sco_policy(client, world):
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    login(client, enrolment.trainee)
    response = client.get(reverse("scorm_content", args=[lesson.package_id, "index.html"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "sandbox allow-scripts allow-same-origin allow-forms" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"Les constantes vitales" in b"".join(response.streaming_content)
    assert client.get(reverse("scorm_content", args=[lesson.package_id, "absent.html"])).status_code == 404
    assert client.get(f"/scorm/paquets/{lesson.package_id}/contenu/../imsmanifest.xml").status_code == 404


def test_outsiders_get_nothing(client, world):
    """Another body's trainee, an employer, a stranger: 404; anonymous: the login page."""
    from tests.factories import make_employer, make_trainee

    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    other = make_enrolment(track=make_track(modules=1, lessons=1)).trainee
    content = reverse("scorm_content", args=[lesson.package_id, "index.html"])
    for user in (other, make_employer(), make_trainee()):
        login(client, user)
        assert client.get(content).status_code == 404
        assert client.post(reverse("scorm_launch", args=[lesson.pk])).status_code == 404
        assert client.post(reverse("scorm_commit", args=[lesson.pk]), {"data": "{}"}).status_code == 404
        client.logout()
    assert client.get(content).status_code == 302
    assert "/comptes/login/" in client.get(content)["Location"]


def test_launch_and_commit_endpoints(client, world):
    track, enrolment = world
    lesson = make_scorm_lesson(track=track)
    login(client, enrolment.trainee)
    state = client.post(reverse("scorm_launch", args=[lesson.pk])).json()
    commit = reverse("scorm_commit", args=[lesson.pk])
    bad = client.post(commit, {"session": state["session"], "data": json.dumps({"cmi.core.score.raw": "1e400"})})
    assert bad.status_code == 400 and "cmi.core.score.raw" in bad.json()["error"]
    assert client.post(commit, {"session": state["session"], "data": "{pas du json"}).status_code == 400
    assert client.post(commit, {"session": state["session"], "data": "x" * 300_000}).status_code == 413
    ok = client.post(commit, {"session": state["session"], "finished": "1",
                              "data": json.dumps({"cmi.core.lesson_status": "passed"})})
    assert ok.status_code == 200 and ok.json() == {"saved": True, "lesson_status": "passed", "done": True}
    again = client.post(commit, {"session": state["session"], "data": "{}"})
    assert again.status_code == 409 and "rechargez la page" in again.json()["error"]


def test_a_refused_upload_stores_nothing(world):
    from lms.scorm.validation import PackageError
    from tests.scorm import packages

    track, _enrolment = world
    before = set(default_storage.listdir("scorm")[1]) if default_storage.exists("scorm") else set()
    with pytest.raises(PackageError):
        services.package_create(training_body=track.training_body, title="", upload=packages.upload(packages.zip_bomb()),
                                uploaded_by=None)
    after = set(default_storage.listdir("scorm")[1]) if default_storage.exists("scorm") else set()
    assert after == before and not ScormPackage.objects.exists()
