"""Attendance evidence: honest active time, sessions, and the record per trainee (PDF, CSV) and per cohort (ZIP)."""
import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lms.catalog.models import LessonPage
from lms.learning.attendance import settle
from lms.learning.models import ActivityBeat, Cohort, LessonTime, StudySession
from lms.learning.services import lesson_complete
from lms.reports.personal_data import personal_data
from tests.factories import PASSWORD, make_enrolment, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    track = make_track(modules=2, lessons=2)
    cohort = Cohort.objects.create(training_body=track.training_body, track=track, name="Session test",
                                   starts_on=timezone.localdate())
    trainee = make_trainee(first_name="Sarah", last_name="Dupré", email="sarah@example.org")
    enrolment = make_enrolment(trainee=trainee, track=track, cohort=cohort)
    client.post(reverse("account_login"), {"login": trainee.email, "password": PASSWORD})
    return {"enrolment": enrolment, "track": track, "cohort": cohort, "lesson": LessonPage.objects.descendant_of(track).first()}


def test_login_opens_a_study_session(learner):
    assert StudySession.objects.filter(user=learner["enrolment"].trainee).count() == 1


def test_heartbeats_count_visible_time_capped(client, learner, monkeypatch):
    """Each heartbeat is logged; settled, the visible time counts and a long gap counts the cap."""
    url = reverse("lesson_heartbeat", args=[learner["lesson"].pk])
    trainee = learner["enrolment"].trainee
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    assert client.post(url, {"resume": "1"}).json() == {"recorded": True}
    assert settle([trainee]) == 0
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(seconds=30))
    client.post(url)
    assert settle([trainee]) == 30
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=2))
    client.post(url)
    assert settle([trainee]) == 45  # a long gap is not study time
    time = LessonTime.objects.get(enrolment=learner["enrolment"], lesson=learner["lesson"])
    assert time.active_seconds == 75
    assert StudySession.objects.get(user=trainee).active_seconds == time.active_seconds


def test_the_record_and_the_export_show_the_time_not_yet_settled(client, learner, monkeypatch):
    """Heartbeats still in the log appear in the relevé (CSV) and in the personal-data export: readers settle first."""
    url = reverse("lesson_heartbeat", args=[learner["lesson"].pk])
    start = timezone.now()
    for seconds in range(0, 1261, 30):  # 21 minutes visible
        monkeypatch.setattr(timezone, "now", lambda seconds=seconds: start + timedelta(seconds=seconds))
        client.post(url, {"resume": "1"} if seconds == 0 else {})
    assert ActivityBeat.objects.filter(user=learner["enrolment"].trainee).count() == 43
    data = personal_data(learner["enrolment"].trainee)
    assert sum(s["active_seconds"] for s in data["study_sessions"]) == 1260
    client.post(url)  # one more beat, in the log when the record is asked for (same instant: counts nothing)
    client.force_login(make_staff(training_body=learner["track"].training_body, role="tutor"))
    csv = client.get(reverse("attendance_download", args=[learner["enrolment"].pk, "csv"])).content.decode("utf-8-sig")
    assert "0 h 21 min" in csv
    assert not ActivityBeat.objects.exists()


def test_heartbeat_for_a_lesson_not_enrolled_is_404(client, learner):
    other_lesson = LessonPage.objects.descendant_of(make_track()).first()
    assert client.post(reverse("lesson_heartbeat", args=[other_lesson.pk])).status_code == 404


def test_record_per_trainee_in_csv_and_pdf(client, learner):
    LessonTime.objects.create(enrolment=learner["enrolment"], lesson=learner["lesson"], active_seconds=1250,
                              first_seen_at=timezone.now(), last_seen_at=timezone.now())
    lesson_complete(enrolment=learner["enrolment"], lesson=learner["lesson"])
    client.force_login(make_staff(training_body=learner["track"].training_body, role="tutor"))
    csv = client.get(reverse("attendance_download", args=[learner["enrolment"].pk, "csv"])).content.decode("utf-8-sig")
    for expected in ("Relevé de connexions et d'activité", learner["track"].training_body.name, "Sarah Dupré",
                     learner["track"].title, "Généré par la plateforme Parcours AM le", "0 h 20 min", "Module 1"):
        assert expected in csv, expected
    pdf = client.get(reverse("attendance_download", args=[learner["enrolment"].pk, "pdf"])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Relevé de connexions" in text and "Sarah Dupré" in text and "0 h 20 min" in text


def test_cohort_zip_and_scope(client, learner):
    make_enrolment(trainee=make_trainee(last_name="Second"), track=learner["track"], cohort=learner["cohort"])
    client.force_login(make_staff(training_body=learner["track"].training_body, role="manager"))
    data = client.get(reverse("cohort_attendance_zip", args=[learner["cohort"].pk])).content
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == 4 and sum(n.endswith(".pdf") for n in names) == 2
    client.force_login(make_staff())
    assert client.get(reverse("cohort_attendance_zip", args=[learner["cohort"].pk])).status_code == 404
    assert client.get(reverse("attendance_download", args=[learner["enrolment"].pk, "pdf"])).status_code == 404
