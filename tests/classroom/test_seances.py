"""Séances (issue 17, point 3): a cohort's half-days in person or in a virtual class; each trainee signs for
themselves within the half-day's window, the trainer signs and marks absences; the sign-in sheet is a PDF; the
hours signed add to the realised duration; a signature is an xAPI 'attended' statement."""
import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from lms.classroom import services
from lms.classroom.models import ClassSession, Presence, PresenceStatus, TrainerSignature, signature_proof
from lms.classroom.rules import SIGNING_GRACE
from lms.core.dates import LEGAL_TIME_ZONE
from lms.core.errors import DomainError
from lms.learning.models import Cohort
from lms.learning.realised import realised_duration
from lms.organisations.models import StaffRole
from lms.xapi.models import Statement
from lms.xapi.services import validate
from tests.certificates.test_signing import assert_signed_and_intact
from tests.factories import make_enrolment, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)


def at(hour, minute=0, day=DAY):
    return datetime.combine(day, time(hour, minute), tzinfo=LEGAL_TIME_ZONE)


@pytest.fixture
def world():
    body = make_training_body(name="Organisme Nord")
    track = make_track(training_body=body, title="Parcours Secrétaires")
    cohort = Cohort.objects.create(training_body=body, track=track, name="Session Lille", starts_on=date(2026, 1, 5))
    trainer = make_staff(training_body=body, role=StaffRole.TUTOR, first_name="Théo", last_name="Formateur")
    manager = make_staff(training_body=body, role=StaffRole.MANAGER)
    alice = make_trainee(first_name="Alice", last_name="Martin")
    bruno = make_trainee(first_name="Bruno", last_name="Petit")
    return {"body": body, "track": track, "cohort": cohort, "trainer": trainer, "manager": manager,
            "alice": alice, "bruno": bruno,
            "alice_enrolment": make_enrolment(trainee=alice, track=track, cohort=cohort),
            "bruno_enrolment": make_enrolment(trainee=bruno, track=track, cohort=cohort)}


def seance(w, **fields):
    values = {"cohort": w["cohort"], "title": "Prise des constantes", "date": DAY, "half_day": "morning",
              "starts_at": time(9), "ends_at": time(12, 30), "kind": "in_person", "place": "12 rue Nationale, Lille",
              "trainer": w["trainer"], "hours": Decimal("3.5"), **fields}
    return services.class_session_save(session=ClassSession(**values), base_url="http://testserver")


def test_signing_is_refused_before_the_start_accepted_during_and_refused_after_the_window(world):
    """The window: from the half-day's start to SIGNING_GRACE after its end, never before nor later."""
    s = seance(world)
    with pytest.raises(DomainError):
        services.presence_sign(session=s, user=world["alice"], now=at(8, 59))
    end_of_window = at(12, 30) + SIGNING_GRACE
    with pytest.raises(DomainError):
        services.presence_sign(session=s, user=world["alice"], now=end_of_window + timedelta(minutes=1))
    presence = services.presence_sign(session=s, user=world["alice"], now=end_of_window)
    assert presence.status == PresenceStatus.PRESENT and presence.signed_at == end_of_window
    assert presence.proof == signature_proof(s.pk, world["alice"].pk, end_of_window)


def test_a_double_signature_keeps_the_first_and_writes_one_statement(world):
    s = seance(world)
    first = services.presence_sign(session=s, user=world["alice"], now=at(9, 12))
    again = services.presence_sign(session=s, user=world["alice"], now=at(9, 20))
    assert again.pk == first.pk and again.signed_at == at(9, 12)
    assert Presence.objects.count() == 1
    assert Statement.objects.filter(verb="http://adlnet.gov/expapi/verbs/attended").count() == 1


def test_the_attended_statement_is_valid_xapi_with_the_meeting_and_its_duration(world):
    s = seance(world)
    services.presence_sign(session=s, user=world["alice"], now=at(10))
    row = Statement.objects.get(verb="http://adlnet.gov/expapi/verbs/attended")
    statement = row.data
    validate(statement)
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/meeting"
    assert statement["object"]["id"].endswith(f"/xapi/activites/seance/{s.pk}")
    assert statement["result"]["duration"] == "PT3H30M0S"
    assert statement["actor"]["account"]["name"] == str(world["alice"].public_id)
    assert statement["context"]["registration"] == str(world["alice_enrolment"].registration)


def test_a_trainee_outside_the_cohort_cannot_sign(world):
    s = seance(world)
    outsider = make_trainee(first_name="Odile")
    make_enrolment(trainee=outsider, track=world["track"])  # the same track, no cohort
    with pytest.raises(DomainError):
        services.presence_sign(session=s, user=outsider, now=at(10))
    assert not Presence.objects.exists()


def test_only_the_trainer_signs_as_trainer_within_the_window(world):
    s = seance(world)
    with pytest.raises(DomainError):
        services.trainer_sign(session=s, user=world["manager"], now=at(10))
    with pytest.raises(DomainError):
        services.trainer_sign(session=s, user=world["trainer"], now=at(15))
    signature = services.trainer_sign(session=s, user=world["trainer"], now=at(12, 35))
    assert TrainerSignature.objects.get(session=s).signed_at == at(12, 35) == signature.signed_at


def test_absences_are_marked_by_the_staff_and_never_overwrite_a_signature(world):
    s = seance(world)
    with pytest.raises(DomainError):
        services.absence_mark(session=s, enrolment=world["bruno_enrolment"], by=world["trainer"], now=at(8))
    services.presence_sign(session=s, user=world["alice"], now=at(9, 5))
    with pytest.raises(DomainError):
        services.absence_mark(session=s, enrolment=world["alice_enrolment"], by=world["trainer"], now=at(10))
    # A correction the next day is allowed and traced.
    later = at(10, day=DAY + timedelta(days=1))
    presence = services.absence_mark(session=s, enrolment=world["bruno_enrolment"], by=world["trainer"],
                                     excused=True, reason="Arrêt maladie", now=later)
    assert (presence.status, presence.reason, presence.marked_by, presence.marked_at) == (
        PresenceStatus.EXCUSED, "Arrêt maladie", world["trainer"], later)


def test_hours_cannot_exceed_the_half_day_and_links_must_be_https(world):
    with pytest.raises(DomainError) as error:
        seance(world, hours=Decimal("4"))
    assert error.value.field == "hours"
    with pytest.raises(DomainError):
        seance(world, kind="virtual", place="", video_url="http://visio.example/salle")
    with pytest.raises(DomainError):
        seance(world, trainer=make_staff(training_body=make_training_body(name="Autre")))
    assert not ClassSession.objects.exists()


def test_realised_duration_grows_by_the_hours_signed_and_not_by_absences(world):
    morning = seance(world)
    afternoon = seance(world, half_day="afternoon", starts_at=time(13, 30), ends_at=time(17), hours=Decimal("3"))
    before = realised_duration(world["alice_enrolment"]).seconds
    services.presence_sign(session=morning, user=world["alice"], now=at(9, 30))
    services.absence_mark(session=afternoon, enrolment=world["alice_enrolment"], by=world["trainer"], now=at(14))
    realised = realised_duration(world["alice_enrolment"])
    assert realised.seconds - before == 3.5 * 3600
    assert realised.parts["seances"] == 12600
    assert "Séances suivies (en présentiel ou en classe virtuelle)" in dict(realised.rows)
    assert realised_duration(world["bruno_enrolment"]).parts["seances"] == 0


def test_trainees_are_told_of_a_new_seance_and_of_a_change_of_place_not_of_a_new_topic(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s = seance(world)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world["alice"].email, world["bruno"].email])
    assert "Nouvelle séance" in mail.outbox[0].subject and "12 rue Nationale" in mail.outbox[0].body
    mail.outbox.clear()
    s.title = "Constantes et ECG"
    with django_capture_on_commit_callbacks(execute=True):
        services.class_session_save(session=s, base_url="http://testserver")
    assert mail.outbox == []
    s.place = "Salle B, 3 place du Théâtre, Lille"
    with django_capture_on_commit_callbacks(execute=True):
        services.class_session_save(session=s, base_url="http://testserver")
    assert len(mail.outbox) == 2 and "Salle B" in mail.outbox[0].body and "modifiée" in mail.outbox[0].subject


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_sign_in_sheet_pdf_names_each_trainee_with_their_signature_or_absence(client, world):
    s = seance(world)
    services.presence_sign(session=s, user=world["alice"], now=at(9, 12))
    services.absence_mark(session=s, enrolment=world["bruno_enrolment"], by=world["trainer"], now=at(10))
    services.trainer_sign(session=s, user=world["trainer"], now=at(12, 40))
    client.force_login(world["manager"])
    response = client.get(reverse("class_session_pdf", args=[world["cohort"].pk, s.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_signed_and_intact(response.content)  # PAdES: an altered copy shows (lms.core.signing)
    text = pdf_text(response.content)
    for expected in ("Feuille d’émargement", "Organisme Nord", "Session Lille", "Parcours Secrétaires",
                     "3 février 2026", "09:00 – 12:30", "3,5 h", "12 rue Nationale, Lille", "Théo Formateur",
                     "Alice Martin Signé électroniquement le 3 février 2026 à 09:12", "Bruno Petit Absent",
                     "Signé électroniquement le 3 février 2026 à 12:40"):
        assert expected in text, expected


def test_the_trainee_signs_from_her_page_only_for_herself(client, world, monkeypatch):
    s = seance(world, date=date.today(), starts_at=time(0, 0), ends_at=time(23, 59))
    client.force_login(world["alice"])
    page = client.get(reverse("my_class_sessions"))
    assert page.status_code == 200 and "Je signe" in page.content.decode()
    response = client.post(reverse("class_session_sign", args=[s.pk]))
    assert response.status_code == 302
    assert Presence.objects.get(session=s).enrolment == world["alice_enrolment"]
    assert "Signé électroniquement" in client.get(reverse("my_class_sessions")).content.decode()
    assert client.get(reverse("class_session_sign", args=[s.pk])).status_code == 405


def test_a_trainee_of_another_cohort_gets_a_404(client, world):
    s = seance(world)
    other = make_trainee(first_name="Odile")
    make_enrolment(trainee=other, track=world["track"])
    client.force_login(other)
    assert client.post(reverse("class_session_sign", args=[s.pk])).status_code == 404
    assert "Prise des constantes" not in client.get(reverse("my_class_sessions")).content.decode()


def test_another_bodys_staff_and_the_bodys_authors_get_404s(client, world):
    s = seance(world)
    stranger = make_staff(training_body=make_training_body(name="Autre"), role=StaffRole.MANAGER)
    author = make_staff(training_body=world["body"], role=StaffRole.AUTHOR)
    for user in (stranger, author):
        client.force_login(user)
        for name in ("class_session_sheet", "class_session_pdf", "class_session_edit"):
            assert client.get(reverse(name, args=[world["cohort"].pk, s.pk])).status_code == 404
        assert client.get(reverse("class_session_list", args=[world["cohort"].pk])).status_code == 404
    assert client.post(reverse("class_session_delete", args=[world["cohort"].pk, s.pk])).status_code == 404
    assert ClassSession.objects.filter(pk=s.pk).exists()


def test_staff_plan_a_seance_from_the_cohort_with_french_errors(client, world):
    client.force_login(world["manager"])
    url = reverse("class_session_list", args=[world["cohort"].pk])
    data = {"title": "Accueil", "date": "2026-03-02", "half_day": "afternoon", "kind": "virtual",
            "video_url": "https://visio.example/salle-1", "trainer": world["trainer"].pk, "hours": "3.5"}
    response = client.post(url, {**data, "hours": "5"})
    assert response.status_code == 400 and "ne peuvent pas dépasser" in response.content.decode()
    assert client.post(url, data).status_code == 302
    s = ClassSession.objects.get()
    assert (s.starts_at, s.ends_at) == (time(13, 30), time(17))
    assert "Accueil" in client.get(url).content.decode()


def test_the_sheet_marks_absences_and_a_signed_seance_cannot_be_deleted(client, world):
    s = seance(world, date=date.today(), starts_at=time(0, 0), ends_at=time(23, 59))
    services.presence_sign(session=s, user=world["alice"])
    client.force_login(world["trainer"])
    url = reverse("class_session_sheet", args=[world["cohort"].pk, s.pk])
    assert client.post(url, {"enrolment": world["bruno_enrolment"].pk, "excused": "1",
                             "reason": "Rendez-vous médical"}).status_code == 302
    assert Presence.objects.get(enrolment=world["bruno_enrolment"]).status == PresenceStatus.EXCUSED
    assert client.post(url, {"action": "sign"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Absence justifiée" in page and "Rendez-vous médical" in page and "Alice Martin" in page
    assert len(re.findall(r"Signé électroniquement le \d{1,2}(?:er)? \w+ \d{4} à \d\d:\d\d", page)) == 2  # her, the trainer
    client.post(reverse("class_session_delete", args=[world["cohort"].pk, s.pk]))
    assert ClassSession.objects.filter(pk=s.pk).exists()


def test_the_releve_lists_the_seances_and_counts_their_hours(world):
    """The relevé (CSV and PDF) has a section of the séances signed or missed, and the séances' line in its totals."""
    from lms.reports.attendance import attendance_record, record_csv, record_pdf

    morning = seance(world)
    afternoon = seance(world, half_day="afternoon", starts_at=time(13, 30), ends_at=time(17), hours=Decimal("3"),
                       title="Accueil téléphonique")
    services.presence_sign(session=morning, user=world["alice"], now=at(9, 12))
    services.absence_mark(session=afternoon, enrolment=world["alice_enrolment"], by=world["trainer"], now=at(14))
    record = attendance_record(world["alice_enrolment"], now=at(18))
    text = pdf_text(record_pdf(record))
    assert "Séances (en présentiel ou en classe virtuelle)" in text
    assert "Prise des constantes" in text and "Signé électroniquement le 03/02/2026 09:12" in text
    assert "Accueil téléphonique" in text and "Absent·e" in text
    assert "Séances suivies (en présentiel ou en classe virtuelle) 3,5 h" in text
    csv_text = record_csv(record).decode("utf-8-sig")
    assert "Prise des constantes" in csv_text
