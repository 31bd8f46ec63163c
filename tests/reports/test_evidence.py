"""The employer's evidence pack for the CPAM: the facts (rule, deadlines met, missed or pending, attestation
d'entrée, qualification, declarations), the PDF text, the ZIP, and who may download them."""
import io
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.deadlines.models import DeclarationKind, DeclaredTraining
from lms.organisations.models import Employment, TrainingBody
from lms.reports.evidence import (
    CLOSED,
    MET,
    MET_LATE,
    MISSED,
    PENDING,
    dossier_pdf,
    entry_attestation,
    evidence_facts,
    render_attestation,
    render_dossier,
    safe_name,
)
from tests.certificates.test_certificates import pdf_text
from tests.certificates.test_signing import assert_signed_and_intact
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_staff,
    make_track,
    make_trainee,
    record_result,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def body_with_identity():
    body = TrainingBody.objects.create(name="Formasanté", slug="formasante", legal_name="Formasanté SAS",
                                       siret="12345678900012", registration_number="11755555575",
                                       registration_region="Île-de-France", city="Lyon",
                                       signatory_name="Claire Martin", signatory_title="Directrice")
    return body


def employment_of(trainee):
    return Employment.objects.get(trainee=trainee)


@pytest.fixture
def practice():
    practice = make_practice(name="Cabinet des Lilas")
    practice.city = "Lyon"
    practice.save()
    return practice


def test_pending_enrolment_deadline_and_no_training_entered(practice):
    """No enrolment: the entry deadline is pending with its days left, no attestation, nothing invented."""
    make_employer(practice=practice, first_name="Paul", last_name="Médecin")
    trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15), first_name="Léa", last_name="Roux")
    facts = evidence_facts(employment_of(trainee), TODAY)
    start, qualification = facts.deadlines
    assert (start.deadline, start.state, start.days_left) == (date(2027, 1, 15), PENDING, 46)
    assert (qualification.deadline, qualification.state) == (date(2028, 1, 15), PENDING)
    assert facts.attestations == [] and facts.qualifications == [] and facts.declarations == []
    assert facts.employers == ["Paul Médecin"]
    assert facts.entry_profile == "Secrétaire médical·e"
    text = pdf_text(render_dossier(facts))
    assert "Entrée en formation non enregistrée" in text
    assert "Qualification non encore enregistrée" in text
    assert "15 janvier 2027" in text and "46 jours restants" in text
    assert "Avenant 7" in text and "Cabinet des Lilas" in text and "Paul Médecin" in text
    assert "Attestation d'entrée en formation" not in text


def test_missed_deadlines(practice):
    """Hired long ago and never trained: both deadlines missed."""
    trainee = make_trainee(practice=practice, hired_on=date(2022, 1, 10))
    start, qualification = evidence_facts(employment_of(trainee), TODAY).deadlines
    assert start.state == MISSED and qualification.state == MISSED
    assert "10 janvier 2024" in start.sentence


def test_ended_employment_before_a_deadline_is_not_a_miss(practice):
    """The employment ended before the qualification deadline: that one was not reached, not missed."""
    trainee = make_trainee(practice=practice, hired_on=date(2022, 1, 10))
    employment = employment_of(trainee)
    employment.ended_on = date(2024, 6, 1)
    employment.save()
    start, qualification = evidence_facts(employment, TODAY).deadlines
    assert start.state == MISSED and qualification.state == CLOSED


def test_training_entered_meets_the_deadline_with_an_attestation(practice):
    """An enrolment started: the entry deadline is met on its start date, and its attestation d'entrée is in the
    dossier with the body's identity, the track, the dates in long French, the signatory."""
    body = body_with_identity()
    track = make_track(training_body=body, title="Assistant médical — parcours court")
    trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15), first_name="Léa", last_name="Roux")
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=date(2025, 3, 1))
    facts = evidence_facts(employment_of(trainee), TODAY)
    start, qualification = facts.deadlines
    assert (start.state, start.met_on) == (MET, date(2025, 3, 1))
    assert "Assistant médical — parcours court" in start.evidence
    assert qualification.state == PENDING
    [attestation] = facts.attestations
    assert attestation.enrolment_id == enrolment.pk and attestation.starts_on == date(2025, 3, 1)
    assert attestation.signatory == "Claire Martin, Directrice" and attestation.place == "Lyon"
    text = pdf_text(render_dossier(facts))
    assert "Attestation d'entrée en formation" in text
    assert "SIRET 123 456 789 00012" in text
    assert "Assistant médical — parcours court" in text
    assert "1er mars 2025" in text and "Léa Roux" in text
    assert "Claire Martin, Directrice" in text
    assert "Qualification non encore enregistrée" in text


def test_late_entry_is_met_late(practice):
    trainee = make_trainee(practice=practice, hired_on=date(2022, 1, 10))
    make_enrolment(trainee=trainee, starts_on=date(2024, 6, 3))
    start, _qualification = evidence_facts(employment_of(trainee), TODAY).deadlines
    assert (start.state, start.met_on) == (MET_LATE, date(2024, 6, 3))
    assert "hors délai" in start.sentence


def test_enrolment_not_started_gives_no_attestation(practice):
    """An enrolment starting later is no entry into training: no attestation, the deadline still pending."""
    trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15))
    enrolment = make_enrolment(trainee=trainee, starts_on=TODAY + timedelta(days=10))
    facts = evidence_facts(employment_of(trainee), TODAY)
    assert facts.attestations == [] and facts.deadlines[0].state == PENDING
    assert entry_attestation(enrolment, TODAY) is None


def test_declared_training_is_stated_as_declared(practice):
    """A training declared elsewhere: the dossier says what was declared and that the platform did not verify it."""
    trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15))
    employment = employment_of(trainee)
    DeclaredTraining.objects.create(trainee=trainee, employment=employment, kind=DeclarationKind.TRAINING_START,
                                    occurred_on=date(2025, 9, 1), organisation="Institut Pasteur Formation",
                                    evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"))
    facts = evidence_facts(employment, TODAY)
    [declaration] = facts.declarations
    assert declaration.organisation == "Institut Pasteur Formation" and declaration.occurred_on == date(2025, 9, 1)
    start = facts.deadlines[0]
    assert (start.state, start.met_on) == (MET, date(2025, 9, 1))
    assert "déclaré" in start.evidence and "non vérifié" in start.evidence
    assert facts.attestations == []
    text = pdf_text(render_dossier(facts))
    assert "Institut Pasteur Formation" in text and "1er septembre 2025" in text
    assert "la plateforme n'a pas vérifié ce justificatif" in " ".join(text.split())


def test_recorded_qualification_meets_the_deadline(practice):
    body = body_with_identity()
    track = make_track(training_body=body, certification=True)
    trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15))
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=date(2025, 3, 1))
    record_result(enrolment, obtained_on=date(2026, 6, 12), jury_reference="JURY-2026-077")
    facts = evidence_facts(employment_of(trainee), TODAY)
    qualification = facts.deadlines[1]
    assert (qualification.state, qualification.met_on) == (MET, date(2026, 6, 12))
    [result] = facts.qualifications
    assert (result.certification_name, result.jury_reference, result.obtained_on) == (
        "CQP Assistant médical", "JURY-2026-077", date(2026, 6, 12))
    text = pdf_text(render_dossier(facts))
    assert "CQP Assistant médical" in text and "JURY-2026-077" in text and "12 juin 2026" in text
    assert "non encore enregistrée" not in text


def test_safe_names():
    assert safe_name("Nguyễn Thị Ánh/../Çelik") == "nguyen-thi-anh-celik"
    assert safe_name("///") == "assistant"


# --- Pages -----------------------------------------------------------------------------------------------

@pytest.fixture
def pack(practice):
    today = timezone.localdate()
    body = body_with_identity()
    track = make_track(training_body=body, title="Parcours secrétaires")
    employer = make_employer(practice=practice)
    trainee = make_trainee(practice=practice, hired_on=today - timedelta(days=200), first_name="Léa", last_name="Roux")
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=today - timedelta(days=30))
    other = make_practice(name="Cabinet Ailleurs")
    return {"employer": employer, "trainee": trainee, "enrolment": enrolment, "body": body,
            "employment": employment_of(trainee), "other_employer": make_employer(practice=other),
            "staff": make_staff(training_body=body), "other_staff": make_staff()}


def test_practice_downloads_the_dossier_others_get_404(client, pack):
    url = reverse("evidence_dossier", args=[pack["employment"].pk])
    client.force_login(pack["employer"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "dossier-cpam-roux-lea-" in response["Content-Disposition"]
    assert_signed_and_intact(response.content)
    assert "Parcours secrétaires" in pdf_text(response.content)
    for outsider in (pack["other_employer"], pack["staff"], pack["trainee"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_employment_page_and_dashboard_link_to_the_pack(client, pack):
    client.force_login(pack["employer"])
    page = client.get(reverse("employment_detail", args=[pack["employment"].pk])).content.decode()
    assert reverse("evidence_dossier", args=[pack["employment"].pk]) in page and "Dossier pour la CPAM" in page
    assert reverse("evidence_zip") in client.get(reverse("practice_home")).content.decode()


def test_zip_holds_one_pdf_per_assistant(client, pack, practice):
    second = make_trainee(practice=practice, hired_on=date(2025, 2, 1), first_name="Ana", last_name="Çelik")
    client.force_login(pack["employer"])
    response = client.get(reverse("evidence_zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [f"dossier-cpam-celik-ana-{employment_of(second).pk}.pdf",
                     f"dossier-cpam-roux-lea-{pack['employment'].pk}.pdf"]
    assert "Ana Çelik" in pdf_text(archive.read(names[0]))
    client.force_login(pack["other_employer"])
    other_zip = zipfile.ZipFile(io.BytesIO(client.get(reverse("evidence_zip")).content))
    assert other_zip.namelist() == []
    client.force_login(pack["staff"])
    assert client.get(reverse("evidence_zip")).status_code == 403


def test_zip_queries_do_not_grow_with_assistants(client, practice, django_assert_max_num_queries):
    employer = make_employer(practice=practice)
    track = make_track()

    def add(n):
        trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15), last_name=f"Nom{n}")
        make_enrolment(trainee=trainee, track=track, starts_on=date(2025, 3, 1))

    add(0)
    client.force_login(employer)
    client.get(reverse("evidence_zip"))  # warm the caches (rule sets, track structure)
    with django_assert_max_num_queries(14) as one:
        client.get(reverse("evidence_zip"))
    for n in range(1, 5):
        add(n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("evidence_zip"))
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 5


def test_staff_download_the_attestation_alone(client, pack):
    url = reverse("entry_attestation_download", args=[pack["enrolment"].pk])
    client.force_login(pack["staff"])
    response = client.get(url)
    assert response.status_code == 200
    assert_signed_and_intact(response.content)  # PAdES: an altered copy shows (lms.core.signing)
    text = pdf_text(response.content)
    assert "Attestation d'entrée en formation" in text and "SIRET 123 456 789 00012" in text
    assert "Parcours secrétaires" in text and "Dossier pour la CPAM" not in text
    page = client.get(reverse("learner_detail", args=[pack["enrolment"].pk])).content.decode()
    assert url in page
    for outsider in (pack["other_staff"], pack["employer"], pack["trainee"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_staff_attestation_404_before_the_training_starts(client, pack):
    enrolment = make_enrolment(trainee=make_trainee(), track=make_track(training_body=pack["body"]),
                               starts_on=timezone.localdate() + timedelta(days=3))
    client.force_login(pack["staff"])
    assert client.get(reverse("entry_attestation_download", args=[enrolment.pk])).status_code == 404
    page = client.get(reverse("learner_detail", args=[enrolment.pk])).content.decode()
    assert "attestation-entree.pdf" not in page


def test_attestation_renders_alone_in_french(settings, pack):
    settings.LANGUAGE_CODE = "en"
    attestation = entry_attestation(pack["enrolment"], timezone.localdate())
    text = pdf_text(render_attestation(attestation))
    assert "Fait à Lyon" in text and "Date d'entrée en formation" in text


def test_dossier_contract(pack):
    filename, mimetype, data = dossier_pdf(pack["employment"], timezone.localdate())
    assert filename.endswith(".pdf") and mimetype == "application/pdf" and data.startswith(b"%PDF")


def test_former_employer_does_not_learn_of_a_later_completion(practice):
    """The employment ended while the training ran: the dossier shows the entry, not a completion after the end."""
    trainee = make_trainee(practice=practice, hired_on=date(2024, 1, 10))
    employment = employment_of(trainee)
    employment.ended_on = date(2025, 1, 31)
    employment.save()
    enrolment = make_enrolment(trainee=trainee, starts_on=date(2024, 3, 1))
    enrolment.status, enrolment.completed_at = "completed", datetime(2025, 6, 2, 10, tzinfo=ZoneInfo("Europe/Paris"))
    enrolment.save()
    [attestation] = evidence_facts(employment, TODAY).attestations
    assert attestation.starts_on == date(2024, 3, 1) and attestation.completed_on is None
    assert entry_attestation(enrolment, TODAY).completed_on == date(2025, 6, 2)  # the body's own copy says it


def test_the_attestation_states_the_planned_hours_less_the_exempted_modules(practice):
    """A module the tutor exempted the trainee from after positioning: the attestation d'entrée states the planned
    hours of this enrolment (the track's less the module's) and the hours deducted, as the relevé does."""
    from decimal import Decimal

    from lms.catalog.models import ModulePage
    from lms.learning.models import ExemptionStatus, ModuleExemption

    body = body_with_identity()
    track = make_track(training_body=body, modules=2, title="Parcours quatre mois")
    module = ModulePage.objects.child_of(track).first()
    ModulePage.objects.filter(pk=module.pk).update(nominal_hours=Decimal("14"))
    trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 15))
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=date(2025, 3, 1))
    exemption = ModuleExemption.objects.create(enrolment=enrolment, module=module, score=100, threshold=80,
                                               proposed_at=timezone.now(), status=ExemptionStatus.PROPOSED)
    assert entry_attestation(enrolment, TODAY).nominal_hours == Decimal(84)  # proposed only: nothing deducted
    ModuleExemption.objects.filter(pk=exemption.pk).update(status=ExemptionStatus.CONFIRMED, reason="Acquis")
    [attestation] = evidence_facts(employment_of(trainee), TODAY).attestations
    assert (attestation.nominal_hours, attestation.exempted_hours) == (Decimal(70), Decimal(14))
    text = pdf_text(render_attestation(entry_attestation(enrolment, TODAY)))
    assert "Durée prévue : 70 h" in text and "Modules dispensés après positionnement (heures déduites) : 14 h" in text
