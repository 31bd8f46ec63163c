"""Accommodations for disability (issue 17, point 2): the managers name the body's disability referent, whom every
trainee sees; the referent alone sets a trainee's accommodation; the trainee, the referent and the body's tutors
read it, nobody else; timed attempts and the pace apply it; it appears in no export, employer page or relevé."""
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lms.accommodations.models import Accommodation, AccommodationChange, DisabilityReferent
from lms.accommodations.rules import extended_end, extended_minutes
from lms.accommodations.services import accommodation_set, referent_name
from lms.core.errors import DomainError
from lms.learning.models import Enrolment
from lms.learning.progress import planned_end
from lms.learning.selectors import paces_of
from lms.organisations.models import StaffRole
from lms.quizzes.models import QuizPage
from lms.quizzes.services import attempt_start
from lms.reports.personal_data import account_erase, personal_data
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_quiz,
    make_staff,
    make_track,
    make_trainee,
    make_training_body,
)

pytestmark = pytest.mark.django_db

NOTE = "Dyslexie-confidentielle-prevoir-police-agrandie"


@pytest.fixture
def world():
    body = make_training_body(name="Organisme Sud")
    practice = make_practice(name="Cabinet des Lilas")
    trainee = make_trainee(practice=practice, first_name="Inès", last_name="Morel")
    track = make_track(training_body=body, duration_value=12, duration_unit="days")
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=date(2026, 11, 2))
    referent = make_staff(training_body=body, role=StaffRole.TUTOR, first_name="Rémi", last_name="Référent")
    manager = make_staff(training_body=body, role=StaffRole.MANAGER, first_name="Maud", last_name="Gestion")
    referent_name(training_body=body, user=referent, by=manager, phone="01 02 03 04 05",
                  contact="Le mardi de 9 h à 12 h.")
    other_body = make_training_body(name="Organisme Nord")
    other_trainee = make_trainee(first_name="Odile", last_name="Ailleurs")
    make_enrolment(trainee=other_trainee, track=make_track(training_body=other_body))
    return {"body": body, "practice": practice, "trainee": trainee, "track": track, "enrolment": enrolment,
            "referent": referent, "manager": manager,
            "tutor": make_staff(training_body=body, role=StaffRole.TUTOR, first_name="Thé", last_name="Tuteur"),
            "author": make_staff(training_body=body, role=StaffRole.AUTHOR),
            "employer": make_employer(practice=practice),
            "other_body": other_body, "other_trainee": other_trainee,
            "other_manager": make_staff(training_body=other_body, role=StaffRole.MANAGER)}


def give(world, *, extra_time=33, extra_duration=25, note=NOTE):
    return accommodation_set(training_body=world["body"], trainee=world["trainee"], by=world["referent"],
                             extra_time_percent=extra_time, extra_duration_percent=extra_duration, note=note,
                             base_url="http://testserver")


def edit_url(world, trainee=None, body=None):
    return reverse("accommodation_edit", args=[(body or world["body"]).pk, (trainee or world["trainee"]).pk])


# --- Rules ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("minutes", "percent", "expected"), [(30, 0, 30), (30, 33, 40), (20, 33, 27), (45, 50, 68),
                                                               (10, 100, 20), (1, 1, 2)])
def test_extra_time_is_rounded_up_to_the_minute(minutes, percent, expected):
    assert extended_minutes(minutes, percent) == expected


def test_a_longer_duration_pushes_the_planned_end_back_by_its_share():
    start = date(2026, 1, 5)
    assert extended_end(start, date(2026, 5, 5), 0) == date(2026, 5, 5)
    assert extended_end(start, start + timedelta(days=120), 25) == start + timedelta(days=150)
    assert extended_end(start, start + timedelta(days=7), 10) == start + timedelta(days=8)  # 7.7 days: rounded up
    months = planned_end(starts_on=start, duration_value=4, duration_unit="months")
    assert planned_end(starts_on=start, duration_value=4, duration_unit="months", extra_percent=25) == (
        start + timedelta(days=-(-(months - start).days * 125 // 100)))


# --- The referent -------------------------------------------------------------------------------------

def test_a_manager_names_the_referent_and_every_staff_member_sees_who_it_is(client, world):
    tutor = world["tutor"]
    client.force_login(world["manager"])
    response = client.post(reverse("accommodation_home"), {
        "training_body": world["body"].pk, f"b{world['body'].pk}-user": tutor.pk,
        f"b{world['body'].pk}-email": "handicap@sud.example", f"b{world['body'].pk}-phone": "",
        f"b{world['body'].pk}-contact": "Sur rendez-vous."})
    assert response.status_code == 302
    referent = DisabilityReferent.objects.get(training_body=world["body"])
    assert (referent.user, referent.email, referent.named_by) == (tutor, "handicap@sud.example", world["manager"])
    client.force_login(world["author"])
    page = client.get(reverse("accommodation_home")).content.decode()
    assert "Thé Tuteur" in page and "handicap@sud.example" in page
    assert "Nommer le ou la référent·e handicap" not in page  # the naming form is the managers'


def test_only_a_manager_of_the_body_names_the_referent(client, world):
    data = {"training_body": world["body"].pk, f"b{world['body'].pk}-user": world["author"].pk}
    for user in (world["tutor"], world["referent"], world["author"], world["other_manager"]):
        client.force_login(user)
        assert client.post(reverse("accommodation_home"), data).status_code == 404
    assert DisabilityReferent.objects.get(training_body=world["body"]).user == world["referent"]
    client.force_login(world["trainee"])
    assert client.get(reverse("accommodation_home")).status_code == 403


def test_the_referent_is_a_staff_member_of_the_body(client, world):
    with pytest.raises(DomainError):
        referent_name(training_body=world["body"], user=world["other_manager"], by=world["manager"])
    client.force_login(world["manager"])
    response = client.post(reverse("accommodation_home"), {"training_body": world["body"].pk,
                                                           f"b{world['body'].pk}-user": world["other_manager"].pk})
    assert response.status_code == 400 and "Choisissez un membre de l&#x27;équipe" in response.content.decode()


# --- Setting an accommodation -------------------------------------------------------------------------

def test_the_referent_sets_an_accommodation_and_the_trainee_is_told_without_its_content(
        client, world, django_capture_on_commit_callbacks):
    client.force_login(world["referent"])
    page = client.get(reverse("accommodation_home")).content.decode()
    assert "Inès Morel" in page and edit_url(world) in page and "Odile" not in page
    assert client.get(edit_url(world)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(world), {"extra_time_percent": "33", "extra_duration_percent": "25",
                                                 "note": NOTE})
    assert response.status_code == 302
    accommodation = Accommodation.objects.get()
    assert (accommodation.training_body, accommodation.trainee, accommodation.extra_time_percent,
            accommodation.extra_duration_percent, accommodation.note, accommodation.set_by) == (
        world["body"], world["trainee"], 33, 25, NOTE, world["referent"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world["trainee"].email]
    assert "aménagements" in mail.outbox[0].subject and NOTE not in mail.outbox[0].body
    assert "/espace/amenagements/" in mail.outbox[0].body
    # A change is recorded; saving the same values again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(world), {"extra_time_percent": "50", "extra_duration_percent": "25", "note": NOTE})
        client.post(edit_url(world), {"extra_time_percent": "50", "extra_duration_percent": "25", "note": NOTE})
    assert list(AccommodationChange.objects.order_by("pk").values_list("extra_time_percent", "note_changed")) == [
        (33, True), (50, False)]
    assert len(mail.outbox) == 2
    history = client.get(edit_url(world)).content.decode()
    assert "Historique" in history and "50 %" in history


@pytest.mark.parametrize("who", ["tutor", "manager", "author", "trainee", "employer", "other_manager"])
def test_nobody_but_the_referent_opens_or_posts_the_form(client, world, who):
    give(world)
    client.force_login(world[who])
    assert client.get(edit_url(world)).status_code == 404
    assert client.post(edit_url(world), {"extra_time_percent": "0", "extra_duration_percent": "0",
                                         "note": ""}).status_code == 404
    assert Accommodation.objects.get().extra_time_percent == 33
    with pytest.raises(DomainError):
        accommodation_set(training_body=world["body"], trainee=world["trainee"], by=world[who], extra_time_percent=0,
                          extra_duration_percent=0, note="", base_url="http://testserver")


def test_a_forged_learner_of_another_body_is_a_404(client, world):
    client.force_login(world["referent"])
    assert client.get(edit_url(world, trainee=world["other_trainee"])).status_code == 404
    assert client.post(edit_url(world, trainee=world["other_trainee"]), {
        "extra_time_percent": "33", "extra_duration_percent": "0", "note": ""}).status_code == 404
    assert client.get(edit_url(world, body=world["other_body"], trainee=world["other_trainee"])).status_code == 404
    assert not Accommodation.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"note": "<script>alert(1)</script>"}, "sans balises HTML"),
    ({"note": "<b>gras</b>"}, "sans balises HTML"),
    ({"note": "x" * 1001}, "1000 caractères au plus"),
    ({"extra_time_percent": "101"}, "entre 0 et 100"),
    ({"extra_duration_percent": "-1"}, "entre 0 et 100"),
    ({"extra_time_percent": "un tiers"}, "nombre entier"),
])
def test_hostile_input_is_refused_in_french(client, world, data, message):
    client.force_login(world["referent"])
    response = client.post(edit_url(world), {"extra_time_percent": "33", "extra_duration_percent": "0",
                                             "note": "", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Accommodation.objects.exists() and not mail.outbox


# --- Who reads it --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "sees"), [("referent", True), ("tutor", True), ("manager", False),
                                           ("author", False)])
def test_the_learner_page_shows_the_accommodation_to_the_tutors_and_the_referent_only(client, world, who, sees):
    """A manager who is not a tutor manages the body, not the learners' health: no note for them; authors never."""
    give(world)
    client.force_login(world[who])
    response = client.get(reverse("learner_detail", args=[world["enrolment"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert (NOTE in html) is sees and ("+33 %" in html) is sees


def test_the_trainee_reads_her_own_accommodation_and_the_referents_contact(client, world):
    give(world)
    client.force_login(world["trainee"])
    html = client.get(reverse("my_accommodations")).content.decode()
    assert NOTE in html and "+33 %" in html and "+25 %" in html
    assert "Rémi Référent" in html and "01 02 03 04 05" in html and "Le mardi de 9 h à 12 h." in html
    track = client.get(reverse("my_track")).content.decode()
    assert "Référent·e handicap" in track and "Rémi Référent" in track and NOTE not in track
    client.force_login(world["other_trainee"])
    html = client.get(reverse("my_accommodations")).content.decode()
    assert NOTE not in html and "Rémi Référent" not in html and "Aucun aménagement" in html


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_accommodation_appears_in_no_export_nor_employer_page(client, world):
    give(world)
    client.force_login(world["employer"])
    for name in ("practice_home", "employer_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig")
        assert "Morel" in body and NOTE not in body and "aménagement" not in body.lower()
    client.force_login(world["tutor"])  # the tutor reads the note, yet the documents carry none of it
    releve = client.get(reverse("attendance_download", args=[world["enrolment"].pk, "csv"]))
    assert releve.status_code == 200 and NOTE not in releve.content.decode("utf-8-sig")
    releve_pdf = client.get(reverse("attendance_download", args=[world["enrolment"].pk, "pdf"]))
    text = pdf_text(releve_pdf.content)
    assert "Morel" in text and NOTE not in text and "33 %" not in text
    learners = client.get(reverse("enrolment_list")).content.decode()
    assert "Morel" in learners and NOTE not in learners
    certificate = client.get(reverse("realisation_certificate", args=[world["enrolment"].pk]))
    assert certificate.status_code == 200 and NOTE not in pdf_text(b"".join(certificate.streaming_content)
                                                                  if certificate.streaming else certificate.content)


# --- Effects -----------------------------------------------------------------------------------------

def test_a_timed_attempt_gets_the_extra_time_rounded_up_to_the_minute(client, world):
    from lms.catalog.models import ModulePage

    quiz = make_quiz(parent=ModulePage.objects.child_of(world["track"]).first(), time_limit_minutes=30)
    other = make_enrolment(trainee=make_trainee(), track=world["track"])
    give(world)  # one third more
    now = timezone.now()
    attempt = attempt_start(enrolment=world["enrolment"], quiz=quiz, now=now)
    assert attempt.deadline_at == now + timedelta(minutes=40)
    assert attempt_start(enrolment=other, quiz=quiz, now=now).deadline_at == now + timedelta(minutes=30)
    client.force_login(world["trainee"])
    assert "Temps accordé pour cette tentative : 40 minutes." in client.get(
        reverse("attempt", args=[attempt.pk])).content.decode()
    overview = client.get(reverse("quiz", args=[quiz.pk])).content.decode()  # the time announced before starting
    assert "40 minutes (avec le temps supplémentaire de votre aménagement)" in overview
    client.force_login(other.trainee)
    overview = client.get(reverse("quiz", args=[quiz.pk])).content.decode()
    assert "30 minutes" in overview and "aménagement" not in overview
    client.force_login(world["trainee"])
    # An accommodation with another body changes nothing here.
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=None)
    quiz.refresh_from_db()
    assert attempt_start(enrolment=make_enrolment(track=world["track"]), quiz=quiz).deadline_at is None


def test_the_pace_uses_the_longer_duration(world):
    enrolment = world["enrolment"]
    rows = Enrolment.objects.filter(pk=enrolment.pk).values_list("pk", "track_id", "starts_on", "cohort__ends_on",
                                                                 "status", named=True)
    before = paces_of(rows, date(2026, 11, 10))[enrolment.pk].planned_end
    give(world, extra_duration=50)
    after = paces_of(rows, date(2026, 11, 10))[enrolment.pk].planned_end
    start = enrolment.starts_on
    assert after == start + timedelta(days=-(-(before - start).days * 150 // 100)) and after > before


def test_the_learners_list_reads_the_accommodations_in_a_constant_number_of_queries(client, world):
    """No query per learner: the extra durations of a whole page come in one query."""
    client.force_login(world["manager"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("enrolment_list")).status_code == 200
        return len(captured)

    give(world)
    client.get(reverse("enrolment_list"))  # warm the caches (track structures)
    few = queries()
    for n in range(6):
        trainee = make_trainee(first_name=f"Apprenant{n}")
        make_enrolment(trainee=trainee, track=world["track"])
        accommodation_set(training_body=world["body"], trainee=trainee, by=world["referent"], extra_time_percent=0,
                          extra_duration_percent=10 * n, note="", base_url="http://testserver")
    assert queries() == few


def test_the_personal_data_export_holds_the_accommodation_and_erasure_removes_the_note(world):
    give(world)
    data = personal_data(world["trainee"])
    assert data["accommodations"] == [{"training_body": "Organisme Sud", "extra_time_percent": 33,
                                       "extra_duration_percent": 25, "note": NOTE,
                                       "updated_at": Accommodation.objects.get().updated_at.isoformat()}]
    assert personal_data(world["other_trainee"])["accommodations"] == []
    account_erase(user=world["trainee"])
    accommodation = Accommodation.objects.get()
    assert accommodation.note == "" and accommodation.extra_time_percent == 33
