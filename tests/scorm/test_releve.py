"""A SCORM lesson in the relevé (lms.reports.attendance) and in the realised duration of the attestation: its
status, score and session time, read back from the signed PDF."""
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from lms.reports.attendance import attendance_record, record_csv, record_pdf
from lms.scorm import services
from tests.factories import make_enrolment, make_track
from tests.scorm.packages import make_scorm_lesson

pytestmark = pytest.mark.django_db


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_releve_lists_the_scorm_lesson_with_status_score_and_time():
    track = make_track(modules=1, lessons=1)
    enrolment = make_enrolment(track=track)
    lesson = make_scorm_lesson(track=track, title="Les constantes vitales (SCORM)")
    start = timezone.now() - timedelta(hours=1)
    state = services.attempt_launch(enrolment=enrolment, lesson=lesson, now=start)
    services.attempt_commit(enrolment=enrolment, lesson=lesson, session=state["session"], finished=True,
                            values={"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85",
                                    "cmi.core.session_time": "0000:20:00"}, now=start + timedelta(minutes=30))
    record = attendance_record(enrolment)
    assert record.realised.parts["scorm"] == 20 * 60
    text = pdf_text(record_pdf(record))
    assert "Activités SCORM" in text
    assert "Les constantes vitales (SCORM) Réussi 85,0 0 h 20 min" in text
    assert "Activités SCORM (temps des sessions) 0,3 h" in text
    csv = record_csv(record)
    assert "Les constantes vitales (SCORM)" in (csv.decode("utf-8-sig") if isinstance(csv, bytes) else csv)
