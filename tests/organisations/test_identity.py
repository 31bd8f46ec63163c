"""A training body's legal identity: kept by its manager, printed on the attestation (as of its day of issue) and on
the relevé (as of today), with the activity declaration's mention that it is no State approval."""
import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.certificates.rendering import render
from lms.learning.services import lesson_complete
from lms.organisations.identity import identity_lines, legal_identity
from lms.organisations.models import TrainingBody, validate_siret
from tests.factories import make_enrolment, make_staff, make_track, make_training_body

pytestmark = pytest.mark.django_db

IDENTITY = {"name": "Institut Hippocrate", "legal_name": "Hippocrate Formation SAS",
            "address": "12 rue des Lilas\n75011 Paris", "city": "Paris", "siret": "732 829 320 00074",
            "registration_number": "11755555575", "registration_region": "Île-de-France",
            "qualiopi_number": "QUA-2024-0042", "qualiopi_certifier": "Certi-Qualité", "qualiopi_category": "training",
            "signatory_name": "Claire Martin", "signatory_title": "Directrice"}
MENTIONS = ["Hippocrate Formation SAS", "12 rue des Lilas", "75011 Paris", "SIRET 732 829 320 00074",
            "Déclaration d’activité enregistrée sous le numéro 11755555575 auprès du préfet de la région Île-de-France.",
            "Cet enregistrement ne vaut pas agrément de l’État.",
            "Certificat Qualiopi n° QUA-2024-0042, délivré par Certi-Qualité, au titre de la catégorie : Actions de "
            "formation."]


def pdftotext(data):
    return " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                                   check=True).stdout.decode().split())


@pytest.fixture
def body_and_manager(client):
    body = make_training_body(name="Institut Hippocrate")
    manager = make_staff(training_body=body, role="manager")
    client.force_login(manager)
    return body, manager


def test_siret_numbers_are_checked():
    for good in ("73282932000074", "44306184100047", "35600000049837"):  # the last: a La Poste establishment
        validate_siret(good)
    for bad, message in (("7328293200007", "14 chiffres"), ("73282932000075", "pas valide"),
                         ("7328293200007A", "14 chiffres"), ("７３２８２９３２０００７４", "14 chiffres")):
        with pytest.raises(Exception, match=message):
            validate_siret(bad)


def test_the_manager_keeps_the_identity_and_sees_it_as_printed(client, body_and_manager):
    body, _ = body_and_manager
    url = reverse("training_body_identity", args=[body.pk])
    assert url in client.get(reverse("training_body_home")).content.decode()
    response = client.post(url, IDENTITY)
    assert response.status_code == 302
    body.refresh_from_db()
    assert (body.legal_name, body.siret, body.qualiopi_category) == ("Hippocrate Formation SAS", "73282932000074",
                                                                     "training")
    assert identity_lines(legal_identity(body)) == MENTIONS
    page = client.get(url).content.decode()
    assert "Cet enregistrement ne vaut pas agrément de l’État." in page


@pytest.mark.parametrize(("field", "value", "error"), [
    ("siret", "73282932000075", "Ce numéro SIRET n’est pas valide : vérifiez ses chiffres."),
    ("siret", "123", "Un numéro SIRET comporte 14 chiffres."),
    ("qualiopi_certifier", "", "Indiquez l’organisme qui a délivré le certificat Qualiopi."),
    ("legal_name", "Pirate\x00SAS", "Le caractère nul n’est pas autorisé."),
    ("name", "", "Champ requis."),
])
def test_bad_identity_gets_a_french_field_error_and_saves_nothing(client, body_and_manager, field, value, error):
    body, _ = body_and_manager
    response = client.post(reverse("training_body_identity", args=[body.pk]), {**IDENTITY, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    body.refresh_from_db()
    assert (body.name, body.legal_name, body.siret) == ("Institut Hippocrate", "", "")


def test_only_the_bodys_managers_edit_its_identity(client, body_and_manager):
    body, _ = body_and_manager
    url = reverse("training_body_identity", args=[body.pk])
    for role in ("tutor", "author"):
        client.force_login(make_staff(training_body=body, role=role))
        assert client.get(url).status_code == 404
        assert client.post(url, IDENTITY).status_code == 404
    client.force_login(make_staff(training_body=make_training_body(name="Autre organisme"), role="manager"))
    assert client.post(url, IDENTITY).status_code == 404
    body.refresh_from_db()
    assert body.legal_name == ""


def test_the_attestation_prints_the_identity_of_its_day_of_issue(client, body_and_manager):
    body, _ = body_and_manager
    client.post(reverse("training_body_identity", args=[body.pk]), IDENTITY)
    enrolment = make_enrolment(track=make_track(training_body=TrainingBody.objects.get(pk=body.pk), modules=1,
                                                lessons=1))
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    certificate = Certificate.objects.get(enrolment=enrolment)
    text = pdftotext(render(certificate)[2])
    for mention in MENTIONS[:6]:
        assert mention in text, mention
    assert "Certificat Qualiopi n° QUA-2024-0042" in text
    # The body moves: the certificate keeps the address of its day of issue.
    TrainingBody.objects.filter(pk=body.pk).update(address="1 place Neuve\n69001 Lyon")
    certificate.refresh_from_db()
    again = pdftotext(render(certificate)[2])
    assert "12 rue des Lilas" in again and "Lyon" not in again


def test_a_certificate_issued_before_the_identity_was_kept_still_prints_name_and_number():
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    certificate = Certificate.objects.get(enrolment=enrolment)
    Certificate.objects.filter(pk=certificate.pk).update(issuer_identity={}, training_body_number="11755555575")
    certificate.refresh_from_db()
    text = pdftotext(render(certificate)[2])
    assert certificate.training_body_name in text
    assert "Déclaration d’activité enregistrée sous le numéro 11755555575." in text


def test_the_releve_prints_the_bodys_current_identity(client, body_and_manager):
    body, _ = body_and_manager
    client.post(reverse("training_body_identity", args=[body.pk]), IDENTITY)
    enrolment = make_enrolment(track=make_track(training_body=TrainingBody.objects.get(pk=body.pk)))
    csv = client.get(reverse("attendance_download", args=[enrolment.pk, "csv"])).content.decode("utf-8-sig")
    for mention in MENTIONS:
        assert mention in csv, mention
    pdf = client.get(reverse("attendance_download", args=[enrolment.pk, "pdf"])).content
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Hippocrate Formation SAS" in text and "Cet enregistrement ne vaut pas agrément de l’État." in text


@pytest.mark.parametrize(("outcome", "expected"), [
    ({"outcome": "module"}, "Cette formation ne confère pas, à elle seule, la qualification d’assistant médical."),
    ({"outcome": "adaptation"}, "Cette formation ne confère pas, à elle seule, la qualification d’assistant médical."),
    ({"outcome": "certification", "certification_name": "CQP Assistant médical", "rncp_code": "RNCP40913",
      "certifying_body": "CPNEFP"},
     "Cette formation prépare à la certification « CQP Assistant médical » (RNCP40913), délivrée par CPNEFP après un "
     "examen ; la présente attestation ne vaut pas certification."),
])
def test_the_attestation_says_what_the_track_leads_to_and_that_it_is_not_the_qualification(outcome, expected):
    from lms.catalog.models import TrackPage

    track = make_track(modules=1, lessons=1)
    TrackPage.objects.filter(pk=track.pk).update(**{"outcome": outcome["outcome"],
                                                    **{k: v for k, v in outcome.items() if k != "outcome"}})
    enrolment = make_enrolment(track=TrackPage.objects.get(pk=track.pk))
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.track_outcome["outcome"] == outcome["outcome"]
    assert expected in pdftotext(render(certificate)[2])
    # A certificate issued before the outcome was kept says nothing of it.
    Certificate.objects.filter(pk=certificate.pk).update(track_outcome={})
    certificate.refresh_from_db()
    assert "qualification d’assistant médical" not in pdftotext(render(certificate)[2])
