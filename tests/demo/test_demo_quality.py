"""The demo's quality evidence (issue 17, points 4, 5 and 7): satisfaction answers, two complaints, the CPAM pack."""
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.accounts.models import User
from lms.complaints.models import Complaint, ComplaintStatus
from lms.demo import data as demo
from lms.surveys.models import SurveyKind, SurveyResponse
from tests.certificates.test_certificates import pdf_text

pytestmark = pytest.mark.django_db


def test_demo_has_survey_answers_complaints_and_cpam_dossiers(client):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: nothing twice
    hot = SurveyResponse.objects.filter(kind=SurveyKind.HOT)
    assert sorted(hot.values_list("enrolment__trainee__email", flat=True)) == [
        demo.demo_email("karim.haddad"), demo.demo_email("nadia.benali")]
    # The demo's completions are recent: no cold survey is open yet, so none was answered.
    assert not SurveyResponse.objects.filter(kind=SurveyKind.COLD).exists()
    complaints = {c.author.email: c for c in Complaint.objects.select_related("author")}
    assert len(complaints) == 2
    trainee_complaint = complaints[demo.demo_email("secretaire")]
    employer_complaint = complaints[demo.demo_email("medecin")]
    assert trainee_complaint.status == ComplaintStatus.ANSWERED and trainee_complaint.answer
    assert trainee_complaint.answered_at > trainee_complaint.created_at
    assert employer_complaint.status == ComplaintStatus.RECEIVED and employer_complaint.author_kind == "employer"

    client.force_login(User.objects.get(email=demo.demo_email("responsable")))
    results = client.get(reverse("survey_results")).content.decode()
    assert "Tuteur très disponible" in results
    register = client.get(reverse("complaint_register")).content.decode()
    assert "Quiz interrompu" in register and "Attestation d&#x27;entrée en formation pour la CPAM" in register

    client.force_login(User.objects.get(email=demo.demo_email("medecin")))
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("evidence_zip")).content))
    names = archive.namelist()
    assert len(names) == 7  # every assistant of the demo practice
    karim = next(name for name in names if "haddad-karim" in name)
    text = pdf_text(archive.read(karim))
    assert demo.CERTIFIED_RESULT["jury_reference"] in text and "Attestation d'entrée en formation" in text
    assert "Institut Santé Avenir" in text
