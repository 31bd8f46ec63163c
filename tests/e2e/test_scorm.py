"""SCORM 1.2 in Chromium (issue 18, point 1): SCOs built by the tests (tests/scorm/packages.py) find
window.parent.API from their sandboxed frame and play their scenario; the server's records follow."""
import pytest

from lms.learning.models import LessonCompletion
from lms.scorm.models import ScormAttempt
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_trainee, make_track
from tests.scorm.packages import make_scorm_lesson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scorm_track():
    track = make_track(modules=1, lessons=1)
    lessons = {scenario: make_scorm_lesson(track=track, scenario=scenario, title=f"Activité {scenario}")
               for scenario in ("complete", "fail", "suspend", "hostile")}
    enrolment = make_enrolment(track=track, trainee=make_trainee(email="scorm@example.org"))
    return enrolment, lessons


def sco_text(page):
    return page.frame_locator("iframe.scorm-frame").locator("#out")


def open_lesson(page, live_server, lesson):
    page.goto(f"{live_server.url}/apprendre/lecons/{lesson.pk}/")


def wait_saved(page, status):
    page.wait_for_selector(f"[data-scorm-player][data-scorm-saved='{status}']", timeout=15000)


def test_a_sco_that_completes_marks_the_lesson_done(page, live_server, scorm_track):
    enrolment, lessons = scorm_track
    login(page, live_server, "scorm@example.org", PASSWORD)
    open_lesson(page, live_server, lessons["complete"])
    frame = page.locator("iframe.scorm-frame")
    assert frame.get_attribute("title") == "Activité interactive : Activité complete"
    assert frame.get_attribute("sandbox") == "allow-scripts allow-same-origin allow-forms"
    assert axe_violations(page) == []
    sco_text(page).filter(has_text="DONE 0").wait_for(timeout=15000)
    wait_saved(page, "completed")
    assert "Activité terminée : cette leçon est faite." in page.inner_text("[data-scorm-status]")
    attempt = ScormAttempt.objects.get(enrolment=enrolment, lesson=lessons["complete"])
    assert attempt.lesson_status == "completed" and attempt.score_raw == 90
    assert attempt.lesson_location == "page-3" and attempt.interactions[0]["result"] == "correct"
    assert 0 < attempt.session_seconds <= 5
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lessons["complete"].pk).exists()


def test_a_sco_under_the_mastery_score_fails_and_the_lesson_stays_to_do(page, live_server, scorm_track):
    enrolment, lessons = scorm_track
    login(page, live_server, "scorm@example.org", PASSWORD)
    open_lesson(page, live_server, lessons["fail"])
    sco_text(page).filter(has_text="FAILED-SENT").wait_for(timeout=15000)
    wait_saved(page, "failed")
    attempt = ScormAttempt.objects.get(enrolment=enrolment, lesson=lessons["fail"])
    assert attempt.lesson_status == "failed" and attempt.score_raw == 40
    assert not LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lessons["fail"].pk).exists()


def test_a_suspended_sco_resumes_where_it_stopped(page, live_server, scorm_track):
    enrolment, lessons = scorm_track
    login(page, live_server, "scorm@example.org", PASSWORD)
    open_lesson(page, live_server, lessons["suspend"])
    sco_text(page).filter(has_text="SUSPENDED ab-initio").wait_for(timeout=15000)
    wait_saved(page, "incomplete")
    attempt = ScormAttempt.objects.get(enrolment=enrolment, lesson=lessons["suspend"])
    assert attempt.exit == "suspend" and attempt.suspend_data == "reponses=a,b,c"
    assert not LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lessons["suspend"].pk).exists()
    open_lesson(page, live_server, lessons["suspend"])
    sco_text(page).filter(has_text="RESUMED chapitre-2 reponses=a,b,c").wait_for(timeout=15000)
    wait_saved(page, "passed")
    attempt.refresh_from_db()
    assert attempt.lesson_status == "passed" and attempt.sessions == 2
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lessons["suspend"].pk).exists()


def test_a_sco_calling_the_api_out_of_order_gets_scorm_error_codes(page, live_server, scorm_track):
    """Set before initialize (301), initialize twice (101), a read-only element (403), a write-only one read
    (404), 5000 characters of suspend data and a score of 1e9 (405), an interaction out of order (201), a keyword
    set (402), a set after finish (301); nothing of it reaches the record."""
    enrolment, lessons = scorm_track
    login(page, live_server, "scorm@example.org", PASSWORD)
    open_lesson(page, live_server, lessons["hostile"])
    sco_text(page).filter(has_text="CODES").wait_for(timeout=15000)
    assert sco_text(page).inner_text() == "CODES 301,101,403,404,405,405,201,402,301"
    wait_saved(page, "incomplete")
    attempt = ScormAttempt.objects.get(enrolment=enrolment, lesson=lessons["hostile"])
    assert attempt.suspend_data == "" and attempt.score_raw is None and attempt.lesson_location == ""
