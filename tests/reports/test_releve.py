"""A relevé that holds as evidence (issue 15, point 5): sessions with start, end and the enrolment they belong to,
time per module and lesson against planned, attempts with their time and score, totals of realised against planned
time, the body's certification; numbers the French way; and the cohort's summary (PDF, CSV)."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lms.catalog.models import LessonPage, ModulePage
from lms.learning import attendance
from lms.learning.models import Cohort, SessionEnrolmentTime, StudySession
from lms.quizzes.models import Attempt
from lms.quizzes.services import attempt_heartbeat, attempt_start
from lms.reports.attendance import attendance_record
from tests.factories import make_enrolment, make_quiz, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def studied():
    """A trainee enrolled in two tracks of the same body: 7 h on a lesson of the first in session 'a', a quiz
    attempt of 10 minutes, and 20 minutes on the second track in session 'b'."""
    track = make_track(modules=1, lessons=2, title="Parcours A")
    module = ModulePage.objects.child_of(track).get()
    module.nominal_hours = Decimal("7")
    module.save()
    quiz = make_quiz(parent=module, title="Quiz du module")
    body = track.training_body
    body.signatory_name, body.signatory_title, body.city = "Claire Martin", "directrice", "Lyon"
    body.save()
    cohort = Cohort.objects.create(training_body=body, track=track, name="Session de mars",
                                   starts_on=timezone.localdate() - timedelta(days=3))
    trainee = make_trainee(first_name="Inès", last_name="Garnier")
    enrolment = make_enrolment(trainee=trainee, track=track, cohort=cohort,
                               starts_on=timezone.localdate() - timedelta(days=3))
    other = make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1, training_body=body,
                                                             title="Parcours B"),
                           starts_on=timezone.localdate() - timedelta(days=3))  # before its session, at any hour
    lesson = LessonPage.objects.descendant_of(track).first()
    other_lesson = LessonPage.objects.descendant_of(other.track).get()
    start = timezone.now() - timedelta(days=1)
    beats = lambda **kw: attendance.lesson_heartbeat(user=trainee, **kw)  # noqa: E731
    beats(session_key="a", enrolment=enrolment, lesson_id=lesson.pk, resume=True, now=start)
    for n in range(1, 7 * 3600 // 30 + 1):
        beats(session_key="a", enrolment=enrolment, lesson_id=lesson.pk, now=start + timedelta(seconds=30 * n))
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    later = start + timedelta(hours=8)
    attempt_heartbeat(attempt=attempt, session_key="a", resume=True, now=later)
    for n in range(1, 21):
        attempt_heartbeat(attempt=attempt, session_key="a", now=later + timedelta(seconds=30 * n))
    evening = start + timedelta(hours=10)
    beats(session_key="b", enrolment=other, lesson_id=other_lesson.pk, resume=True, now=evening)
    for n in range(1, 41):
        beats(session_key="b", enrolment=other, lesson_id=other_lesson.pk, now=evening + timedelta(seconds=30 * n))
    attendance.settle([trainee])
    return {"enrolment": enrolment, "other": other, "cohort": cohort, "attempt": attempt, "track": track}


def test_sessions_are_tied_to_the_enrolments_worked_on(studied):
    """Session 'a' gave 7 h 10 min to the first enrolment, session 'b' 20 min to the second: each relevé lists its
    own session only."""
    rows = {(t.session.session_key_hash, t.enrolment_id): t.active_seconds
            for t in SessionEnrolmentTime.objects.select_related("session")}
    assert sorted(rows.values()) == [1200, 7 * 3600 + 600]
    record = attendance_record(studied["enrolment"])
    assert [s.enrolment_seconds for s in record.sessions] == [7 * 3600 + 600]
    assert record.realised.parts == {"lessons": 25200, "quizzes": 600, "seances": 0, "scorm": 0}
    other = attendance_record(studied["other"])
    assert [s.enrolment_seconds for s in other.sessions] == [1200]


def test_the_pdf_holds_the_evidence(client, studied):
    enrolment = studied["enrolment"]
    client.force_login(make_staff(training_body=enrolment.training_body, role="tutor"))
    text = pdf_text(client.get(reverse("attendance_download", args=[enrolment.pk, "pdf"])).content)
    label = f"Parcours A (inscription n° {enrolment.pk})"
    for expected in (
            "Relevé de connexions et d'activité", "Inès Garnier", label,
            "Fin (dernière activité)", "7 h 10 min",  # the session's active time, for this enrolment
            "Temps par module", "Prévu (h)", "7,0 h",  # the module: 7,0 h planned, 7,2 h realised (lesson + quiz)
            "7,2 h", "Temps par leçon", "Prévu (min)",
            "Quiz du module", "Début", "en cours", "0 h 10 min",  # the attempt: started, not submitted, 10 minutes
            "Réalisé par rapport au prévu", "Leçons (temps actif)", "Quiz et évaluations (temps actif)",
            "Total réalisé", "84,0 h", "Part réalisée", "8,5 %",
            "Certification", "Certifié exact par l’organisme de formation", "Signataire : Claire Martin, directrice",
            "À Lyon, le", "Signature :"):
        assert expected in text, expected
    assert "Parcours B" not in text  # the other enrolment's session is not in this relevé


def test_the_csv_holds_the_same_with_decimal_commas(client, studied):
    enrolment = studied["enrolment"]
    client.force_login(make_staff(training_body=enrolment.training_body, role="tutor"))
    lines = client.get(reverse("attendance_download", args=[enrolment.pk, "csv"])).content.decode("utf-8-sig").splitlines()
    module_row = next(line for line in lines if line.startswith("Module 1;"))
    assert module_row.startswith("Module 1;7,0;7,2;7 h 10 min;0/2")
    assert "Total réalisé;7,2" in lines and "Prévu (durée prévue du parcours);84,0" in lines
    assert "Part réalisée;8,5 %" in lines
    assert any(line.endswith(f";Parcours A (inscription n° {enrolment.pk});7 h 10 min") for line in lines)
    assert any(line.startswith("Quiz du module;1;") and ";en cours;0 h 10 min;—;—" in line for line in lines)
    assert "Signataire : Claire Martin, directrice" in lines


def test_cohort_summary_csv_and_pdf(client, studied):
    cohort = studied["cohort"]
    make_enrolment(trainee=make_trainee(first_name="Bruno", last_name="Arnaud"), track=studied["track"], cohort=cohort)
    client.force_login(make_staff(training_body=cohort.training_body, role="author"))
    csv = client.get(reverse("cohort_attendance_summary", args=[cohort.pk, "csv"])).content.decode("utf-8-sig")
    rows = csv.splitlines()
    header = rows.index("Apprenant·e;Adresse électronique;Inscription;Statut;Prévu (h);Réalisé (h);Part réalisée (%);"
                        "Leçons terminées;Quiz réussis")
    assert rows[header + 1].startswith("Bruno Arnaud;") and ";84,0;0,0;0,0;0/2;0/1" in rows[header + 1]
    assert rows[header + 2].startswith("Inès Garnier;") and ";84,0;7,2;8,5;0/2;0/1" in rows[header + 2]
    pdf = pdf_text(client.get(reverse("cohort_attendance_summary", args=[cohort.pk, "pdf"])).content)
    for expected in ("Synthèse des heures réalisées de la session", "Session de mars", "Inès Garnier", "7,2 h",
                     "8,5 %", "Signataire : Claire Martin, directrice"):
        assert expected in pdf, expected
    assert client.get(reverse("cohort_attendance_summary", args=[cohort.pk, "xls"])).status_code == 404
    client.force_login(make_staff())  # another body's manager
    assert client.get(reverse("cohort_attendance_summary", args=[cohort.pk, "csv"])).status_code == 404


def test_a_login_without_activity_is_listed_as_a_connection(studied):
    enrolment = studied["enrolment"]
    StudySession.objects.create(user=enrolment.trainee, session_key_hash="c", started_at=timezone.now(),
                                last_activity_at=timezone.now())
    labels = [s.enrolment_label for s in attendance_record(enrolment).sessions]
    assert labels[-1] == "connexion sans activité mesurée"
    assert Attempt.objects.get(pk=studied["attempt"].pk).active_seconds == 600
