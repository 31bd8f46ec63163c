"""The attestation prints the nominal and the realised duration; the certificat de réalisation (the State's model
for funded actions) is made per enrolment for its trainee and the body's staff only (issue 15, point 3)."""
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.learning.models import LessonTime
from lms.learning.services import lesson_complete
from tests.certificates.test_certificates import pdf_text
from tests.factories import make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def realised():
    """A secretary employed by a practice, 12,5 h of lesson time on a 84 h track, completed."""
    practice = make_practice(name="Cabinet des Tilleuls")
    trainee = make_trainee(first_name="Inès", last_name="Garnier", practice=practice)
    track = make_track(modules=1, lessons=2, title="Parcours secrétaires médicales")
    body = track.training_body
    body.legal_name, body.city = "Organisme Démo SAS", "Lyon"
    body.signatory_name, body.signatory_title = "Claire Martin", "directrice"
    body.save()
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=date(2026, 3, 2))
    lessons = list(LessonPage.objects.descendant_of(track))
    now = timezone.now()
    LessonTime.objects.create(enrolment=enrolment, lesson=lessons[0], active_seconds=45000, first_seen_at=now,
                              last_seen_at=now)
    for lesson in lessons:
        lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return {"enrolment": enrolment, "practice": practice, "track": track}


def test_the_attestation_prints_planned_and_realised_duration(client, realised):
    certificate = Certificate.objects.get(enrolment=realised["enrolment"])
    client.force_login(realised["enrolment"].trainee)
    text = " ".join(pdf_text(client.get(reverse("certificate_download", args=[certificate.pk])).content).split())
    assert "Durée prévue : 84 h — durée réalisée : 12,5 h" in text


def test_certificate_of_realisation_follows_the_state_model(client, realised):
    enrolment = realised["enrolment"]
    client.force_login(enrolment.trainee)
    response = client.get(reverse("realisation_certificate", args=[enrolment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"certificat-realisation-{enrolment.pk}.pdf" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    for expected in ("CERTIFICAT DE RÉALISATION", "Organisme Démo SAS", "Je soussigné·e, Claire Martin, directrice",
                     "Inès Garnier, salarié·e de l’entreprise Cabinet des Tilleuls",
                     "a suivi l’action : Parcours secrétaires médicales", "☒ action de formation",
                     "qui s’est déroulée du 2 mars 2026 au", "pour une durée réalisée de 12,5 h",
                     "(durée prévue de l’action : 84 h)", "relevé de connexions et d’activité",
                     "Fait à Lyon, le", "Cachet et signature"):
        assert expected in text, expected


def test_certificate_of_realisation_in_progress_says_so(client):
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1), starts_on=date(2026, 1, 5))
    client.force_login(make_staff(training_body=enrolment.training_body, role="tutor"))
    response = client.get(reverse("realisation_certificate", args=[enrolment.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "qui a commencé le 5 janvier 2026 et est toujours en cours" in text and "0,0 h" in text


def test_certificate_of_realisation_is_refused_to_others(client, realised):
    """Another trainee, the employer, another body's manager: 404; a POST: 405."""
    enrolment = realised["enrolment"]
    url = reverse("realisation_certificate", args=[enrolment.pk])
    for user in (make_trainee(), make_employer(practice=realised["practice"]), make_staff()):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(make_staff(training_body=enrolment.training_body, role="author"))
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    client.logout()
    assert client.get(url).status_code == 302


def test_the_trainee_finds_the_link_on_her_pages(client, realised):
    client.force_login(realised["enrolment"].trainee)
    page = client.get(reverse("my_track")).content.decode()
    assert reverse("realisation_certificate", args=[realised["enrolment"].pk]) in page
    assert "Certificat de réalisation (PDF)" in page
