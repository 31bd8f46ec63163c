"""The exchanges as evidence: the relevé lists them (dates and names, no text), the personal-data export holds the
person's messages, and the erasure of the account removes their text but keeps the dates."""
import io
import uuid
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lms.core.dates import LEGAL_TIME_ZONE
from lms.learning.services import cohort_create
from lms.organisations.models import StaffRole
from lms.reports.personal_data import account_erase, personal_data
from lms.support import services
from lms.support.models import Message, Thread
from lms.support.selectors import exchanges_for_record
from tests.factories import make_enrolment, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db

QUESTION, ANSWER = "Texte-confidentiel-de-la-question", "Texte-confidentiel-de-la-reponse"


@pytest.fixture
def exchange():
    track = make_track()
    body = track.training_body
    tutor = make_staff(training_body=body, role=StaffRole.TUTOR, first_name="Théo", last_name="Tuteur")
    cohort = cohort_create(training_body=body, track=track, name="Session", starts_on=timezone.localdate())
    cohort.tutors.add(tutor)
    trainee = make_trainee(first_name="Sarah", last_name="Dupré")
    enrolment = make_enrolment(trainee=trainee, track=track, cohort=cohort)
    asked = datetime(2026, 11, 23, 9, 15, tzinfo=LEGAL_TIME_ZONE)
    thread = services.thread_create(enrolment=enrolment, author=trainee, subject="Sujet-privé", body=QUESTION,
                                    submission_key=uuid.uuid4(), base_url="http://t", context_title="Leçon 1.1",
                                    now=asked)
    services.message_post(thread=thread, author=tutor, body=ANSWER, submission_key=uuid.uuid4(), from_staff=True,
                          base_url="http://t", now=asked + timedelta(hours=5, minutes=30))
    services.message_post(thread=thread, author=trainee, body="Relance", submission_key=uuid.uuid4(),
                          from_staff=False, base_url="http://t", now=asked + timedelta(days=1))
    return type("Exchange", (), dict(enrolment=enrolment, tutor=tutor, trainee=trainee, thread=thread, body=body))


def test_the_rows_pair_each_question_with_the_answer_that_followed(exchange):
    rows = exchanges_for_record(exchange.enrolment)
    assert [(r.context, r.asked_at.astimezone(LEGAL_TIME_ZONE).strftime("%d/%m %H:%M"),
             r.answered_at and r.answered_at.astimezone(LEGAL_TIME_ZONE).strftime("%d/%m %H:%M"), r.answered_by)
            for r in rows] == [("Leçon 1.1", "23/11 09:15", "23/11 14:45", "Théo Tuteur"),
                               ("Leçon 1.1", "24/11 09:15", None, "")]


def test_the_releve_lists_the_exchanges_in_csv_and_pdf_without_their_text(client, exchange):
    client.force_login(exchange.tutor)
    csv = client.get(reverse("attendance_download", args=[exchange.enrolment.pk, "csv"])).content.decode("utf-8-sig")
    for expected in ("Question posée le", "Répondue le", "Répondue par", "23/11/2026 09:15", "23/11/2026 14:45",
                     "Théo Tuteur", "24/11/2026 09:15", "Sans réponse", "Leçon 1.1"):
        assert expected in csv, expected
    pdf = client.get(reverse("attendance_download", args=[exchange.enrolment.pk, "pdf"])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Questions aux tuteur·rices", "23/11/2026 09:15", "23/11/2026 14:45", "Théo Tuteur", "Sans réponse"):
        assert expected in text, expected
    for private in (QUESTION, ANSWER, "Relance", "Sujet-privé"):
        assert private not in csv and private not in text


def test_a_releve_without_exchanges_says_so(client):
    enrolment = make_enrolment()
    client.force_login(make_staff(training_body=enrolment.training_body))
    pdf = client.get(reverse("attendance_download", args=[enrolment.pk, "pdf"])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Questions aux tuteur·rices" in text


def test_the_personal_data_export_holds_the_exchange(exchange):
    data = personal_data(exchange.trainee)
    [thread] = data["support_threads"]
    assert thread["subject"] == "Sujet-privé" and thread["written_from"] == "Leçon 1.1"
    assert [m["text"] for m in thread["messages"]] == [QUESTION, ANSWER, "Relance"]
    assert [m["from_tutor"] for m in thread["messages"]] == [False, True, False]
    assert [m["text"] for m in personal_data(exchange.tutor)["support_messages_written"]] == [ANSWER]
    assert personal_data(exchange.tutor)["support_threads"] == []


def test_erasure_removes_the_text_and_keeps_the_dates(client, exchange):
    account_erase(user=exchange.trainee)
    thread = Thread.objects.get()
    assert thread.subject == "—"
    assert set(Message.objects.values_list("body", flat=True)) == {""}
    assert Message.objects.filter(erased_at__isnull=True).count() == 0
    rows = exchanges_for_record(exchange.enrolment)
    assert len(rows) == 2 and rows[0].answered_by == "Théo Tuteur"
    client.force_login(exchange.tutor)
    html = client.get(reverse("support_thread", args=[thread.pk])).content.decode()
    assert QUESTION not in html and ANSWER not in html and "Message effacé avec le compte." in html
