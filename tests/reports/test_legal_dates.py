"""The relevé de connexions et d'activité counts days and hours in Paris (issue 14, point 5): its period ends on
the day of completion in Paris, its times are Paris times, and a session whose last activity was at 00:30 in
Paris on the first day of the training is listed. The current time zone is UTC, as a server might have it."""
import subprocess
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.learning.models import StudySession
from lms.reports.attendance import attendance_record, record_csv
from tests.certificates.test_certificates import complete
from tests.core.test_legal_dates import MOMENT_IDS, PARIS_DAYS, UTC
from tests.factories import make_enrolment, make_staff, make_track

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_record_period_and_times_in_paris(client, monkeypatch, moment, day):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    with timezone.override("UTC"):
        enrolment = complete(make_enrolment(track=make_track(modules=1, lessons=1), starts_on=date(2026, 5, 4)))
        monkeypatch.undo()
        record = attendance_record(enrolment)
        assert record.period == (date(2026, 5, 4), day)
        paris_time = f"{day:%d/%m/%Y} {(moment + timedelta(hours=1 if moment.month == 12 else 2)):%H:%M}"
        rows = record_csv(record).decode("utf-8-sig").splitlines()
        assert f"Période;04/05/2026;{day:%d/%m/%Y}" in rows
        lesson = LessonPage.objects.descendant_of(enrolment.track).get()
        assert any(row.startswith("Module 1;") and row.endswith(f";{paris_time}") and lesson.title in row for row in rows)
        client.force_login(make_staff(training_body=enrolment.training_body, role="tutor"))
        pdf = client.get(reverse("attendance_download", args=[enrolment.pk, "pdf"])).content
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
                    .decode().split())  # a table cell wraps the time onto its own line
    assert f"04/05/2026 — {day:%d/%m/%Y}" in text and paris_time in text


def test_sessions_of_the_first_day_in_paris_are_listed():
    """The training starts on 1 June; a session last active at 00:30 in Paris that day (31 May in UTC) belongs
    to it, one last active at 23:30 in Paris on 31 May does not."""
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1), starts_on=date(2026, 6, 1))
    for hour in (21, 22):  # 23:30 on 31 May and 00:30 on 1 June in Paris
        moment = datetime(2026, 5, 31, hour, 30, tzinfo=UTC)
        StudySession.objects.create(user=enrolment.trainee, session_key_hash=str(hour), started_at=moment,
                                    last_activity_at=moment)
    with timezone.override("UTC"):
        sessions = attendance_record(enrolment).sessions
    assert [s.session_key_hash for s in sessions] == ["22"]
