"""Issue 15, point 1: a certification result recorded by the training body is what qualifies an assistant; finishing
a track never does. The service's rules, and the body's page to record and revoke a result (who may, bad input)."""
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.core.errors import DomainError
from lms.learning.models import Enrolment, QualificationResult
from lms.learning.qualification import qualifying
from lms.learning.services import qualification_result_record, qualification_result_revoke
from tests.certificates.test_certificates import complete
from tests.factories import make_enrolment, make_staff, make_track, make_trainee, pdf_upload, record_result

pytestmark = pytest.mark.django_db

STARTED = date(2026, 1, 5)


def certification_enrolment(**kwargs):
    return make_enrolment(track=make_track(modules=1, lessons=1, certification=True), starts_on=STARTED, **kwargs)


def is_qualifying(enrolment):
    return Enrolment.objects.filter(qualifying(), pk=enrolment.pk).exists()


def test_completion_alone_does_not_qualify_a_result_does():
    enrolment = complete(certification_enrolment())
    assert enrolment.status == "completed" and not is_qualifying(enrolment)
    result = record_result(enrolment, obtained_on=date(2026, 6, 1))
    assert is_qualifying(enrolment) and result.document.name.startswith("qualifications/")


def test_no_result_on_a_track_that_is_a_training_step():
    enrolment = complete(make_enrolment(track=make_track(modules=1, lessons=1), starts_on=STARTED))
    with pytest.raises(DomainError):
        record_result(enrolment, obtained_on=date(2026, 6, 1))
    assert not QualificationResult.objects.exists()


@pytest.mark.parametrize("kwargs, field", [
    ({"obtained_on": date(2026, 6, 2)}, "obtained_on"),  # after `today`
    ({"obtained_on": STARTED - timedelta(days=1)}, "obtained_on"),  # before the training started
    ({"jury_reference": "  "}, "jury_reference"),
    ({"document": SimpleUploadedFile("resultat.pdf", b"MZ\x90\x00 not a pdf")}, "document"),
    ({"document": SimpleUploadedFile("resultat.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))}, "document"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(kwargs, field):
    enrolment = certification_enrolment()
    arguments = {"enrolment": enrolment, "obtained_on": date(2026, 6, 1), "jury_reference": "JURY-1",
                 "document": pdf_upload(), "recorded_by": None, "today": date(2026, 6, 1), **kwargs}
    with pytest.raises(DomainError) as error:
        qualification_result_record(**arguments)
    assert error.value.field == field
    assert not QualificationResult.objects.exists()


def test_one_result_in_force_revoked_with_a_trace_then_corrected():
    enrolment = certification_enrolment()
    manager = make_staff(training_body=enrolment.training_body)
    first = record_result(enrolment, obtained_on=date(2026, 6, 1))
    with pytest.raises(DomainError):
        record_result(enrolment, obtained_on=date(2026, 6, 2))
    qualification_result_revoke(result=first, reason="Mauvaise date", revoked_by=manager)
    assert not is_qualifying(enrolment)
    with pytest.raises(DomainError):
        qualification_result_revoke(result=first, reason="Encore", revoked_by=manager)
    record_result(enrolment, obtained_on=date(2026, 6, 3))
    assert is_qualifying(enrolment)
    first.refresh_from_db()
    assert first.revoked_by == manager and first.revocation_reason == "Mauvaise date" and first.revoked_at
    assert QualificationResult.objects.filter(enrolment=enrolment).count() == 2


# --- The body's page ---------------------------------------------------------------------------------------

def page(enrolment):
    return reverse("qualification_result", args=[enrolment.pk])


def form_data(**overrides):
    return {"action": "record", "obtained_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "jury_reference": "CQP-AM-2026-0042", "document": pdf_upload(), **overrides}


@pytest.fixture
def learner():
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1, certification=True),
                               starts_on=timezone.localdate() - timedelta(days=100))
    return enrolment


@pytest.mark.parametrize("role", ["manager", "tutor"])
def test_the_bodys_manager_or_tutor_records_the_result(client, learner, role):
    client.force_login(make_staff(training_body=learner.training_body, role=role))
    html = client.get(page(learner)).content.decode()
    assert "CQP Assistant médical" in html and "RNCP40913" in html and "Enregistrer le résultat" in html
    response = client.post(page(learner), form_data())
    assert response.status_code == 302
    result = QualificationResult.objects.get(enrolment=learner)
    assert result.jury_reference == "CQP-AM-2026-0042" and result.recorded_by.training_body_memberships.exists()
    html = client.get(page(learner)).content.decode()
    assert "En vigueur" in html and "Annuler le résultat" in html
    response = client.post(page(learner), {"action": "revoke", "reason": "Erreur de dossier"})
    assert response.status_code == 302
    assert "Annulé le" in client.get(page(learner)).content.decode()
    assert not is_qualifying(learner)


def test_another_bodys_staff_a_trainee_and_an_author_cannot_record(client, learner):
    for user, status in ((make_staff(role="manager"), 404), (make_staff(role="tutor"), 404),
                         (learner.trainee, 404), (make_trainee(), 404),
                         (make_staff(training_body=learner.training_body, role="author"), 403)):
        client.force_login(user)
        assert client.get(page(learner)).status_code == status
        assert client.post(page(learner), form_data()).status_code == status
    client.logout()
    assert client.post(page(learner), form_data()).status_code == 302  # to the login page
    assert not QualificationResult.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"obtained_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "La date ne peut pas être dans le futur."),
    ({"jury_reference": ""}, "Champ requis."),
    ({"document": SimpleUploadedFile("resultat.pdf", b"GIF89a pas un pdf")}, "Le document doit être un fichier PDF, PNG ou JPEG."),
    ({"document": SimpleUploadedFile("resultat.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))}, "trop volumineux"),
])
def test_bad_input_shows_a_french_field_error_and_writes_nothing(client, learner, overrides, message):
    client.force_login(make_staff(training_body=learner.training_body))
    response = client.post(page(learner), form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "field-error" in html and message in html
    assert not QualificationResult.objects.exists()


def test_no_form_for_a_track_that_does_not_lead_to_a_certification(client):
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1), starts_on=date(2026, 1, 5))
    client.force_login(make_staff(training_body=enrolment.training_body))
    html = client.get(page(enrolment)).content.decode()
    assert "ne mène pas à une certification" in html and "Enregistrer le résultat" not in html
    assert client.post(page(enrolment), form_data()).status_code == 200
    assert not QualificationResult.objects.exists()
