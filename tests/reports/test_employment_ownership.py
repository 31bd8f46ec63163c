"""A practice's employment record belongs to the practice (issue 13, point 2).

Only the members of the practice that employs the assistant open, export or declare on the employment. The
training body that trains the assistant reads the deadline facts through its own pages (its learner page and
its deadlines report), never the practice's record, and never files a declaration on the practice's behalf.
"""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.deadlines.models import DeclaredTraining
from lms.organisations.models import StaffRole
from tests.factories import make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


def evidence():
    return SimpleUploadedFile("attestation.pdf", b"%PDF-1.4\n%test\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def trained():
    """An assistant of the Cabinet des Tilleuls, two months from her qualification deadline (so at risk), enrolled
    with a training body."""
    today = timezone.localdate()
    practice = make_practice(name="Cabinet des Tilleuls")
    trainee = make_trainee(first_name="Léa", last_name="Suivie", practice=practice,
                           hired_on=today - timedelta(days=3 * 365 - 60))
    track = make_track(title="Parcours de l'organisme")
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=today - timedelta(days=10))
    return {"today": today, "practice": practice, "trainee": trainee, "enrolment": enrolment,
            "employment": trainee.employments.get(), "employer": make_employer(practice=practice),
            "tutor": make_staff(training_body=track.training_body, role=StaffRole.TUTOR),
            "manager": make_staff(training_body=track.training_body, role=StaffRole.MANAGER)}


@pytest.mark.parametrize("role", ["tutor", "manager"])
def test_training_body_staff_cannot_open_export_or_declare_on_the_practices_record(client, trained, role):
    """Even for a learner the body trains, its staff get 404 on the practice's employment and declaration
    endpoint, 403 on the practice's export, and nothing is written."""
    client.force_login(trained[role])
    employment = trained["employment"]
    assert client.get(reverse("employment_detail", args=[employment.pk])).status_code == 404
    assert client.get(reverse("declaration_create", args=[employment.pk])).status_code == 404
    response = client.post(reverse("declaration_create", args=[employment.pk]), {
        "kind": "qualification", "occurred_on": (trained["today"] - timedelta(days=5)).isoformat(),
        "organisation": "Organisme complaisant", "evidence": evidence()})
    assert response.status_code == 404
    assert not DeclaredTraining.objects.exists()
    assert client.get(reverse("employer_csv")).status_code == 403
    assert client.get(reverse("practice_home")).status_code == 403


def test_a_training_body_reads_the_deadline_facts_through_its_own_pages(client, trained):
    """The body's deadlines report links to its own learner page, which states the learner's deadlines
    (and not the practice's working time nor its declarations)."""
    client.force_login(trained["tutor"])
    html = client.get(reverse("training_body_deadlines")).content.decode()
    learner_url = reverse("learner_detail", args=[trained["enrolment"].pk])
    assert "Léa Suivie" in html and f'href="{learner_url}"' in html
    assert reverse("employment_detail", args=[trained["employment"].pk]) not in html
    page = client.get(learner_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Échéances" in html and "Cabinet des Tilleuls" in html
    assert "Qualification avant le" in html and "Règle appliquée : Avenant 7 — art. 9-2." in html
    assert "deadline-in_training" in html  # the status: the training started with this body
    assert "Temps plein" not in html  # the practice's record (working time) stays with the practice


def test_the_practice_and_the_assistant_keep_their_access(client, trained):
    """The employing practice opens, exports and declares; the assistant sees their deadlines."""
    client.force_login(trained["employer"])
    employment = trained["employment"]
    assert client.get(reverse("employment_detail", args=[employment.pk])).status_code == 200
    response = client.post(reverse("declaration_create", args=[employment.pk]), {
        "kind": "start", "occurred_on": (trained["today"] - timedelta(days=30)).isoformat(),
        "organisation": "CFA Santé", "evidence": evidence()})
    assert response.status_code == 302
    declaration = DeclaredTraining.objects.get()
    assert declaration.employment == employment and declaration.trainee == trained["trainee"]
    assert "Léa" in client.get(reverse("employer_csv")).content.decode("utf-8-sig")
    client.force_login(trained["trainee"])
    html = client.get(reverse("my_track")).content.decode()
    assert "Mes échéances" in html and "Cabinet des Tilleuls" in html


def test_a_practice_member_who_is_also_body_staff_sees_only_their_practices_records(client, trained):
    """Being staff of the training body gives no way into another practice's record."""
    other_practice = make_practice(name="Cabinet du Tutorat")
    make_employer(practice=other_practice)
    tutor = trained["tutor"]
    from lms.organisations.models import PracticeMembership

    PracticeMembership.objects.create(practice=other_practice, user=tutor)
    client.force_login(tutor)
    assert client.get(reverse("employment_detail", args=[trained["employment"].pk])).status_code == 404
    assert "Léa" not in client.get(reverse("employer_csv")).content.decode("utf-8-sig")
    assert "Léa" not in client.get(reverse("practice_home")).content.decode()


def test_existing_declarations_are_attached_to_the_declaring_practices_employment(trained):
    """The migration gives each declaration filed by a practice member that practice's employment; one filed by
    someone else (a training body's tutor, an admin) stays outside any employment."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lms.deadlines.migrations.0004_declaration_belongs_to_employment")
    by_employer = DeclaredTraining.objects.create(trainee=trained["trainee"], kind="start", organisation="CFA",
                                                  occurred_on=trained["today"], declared_by=trained["employer"],
                                                  evidence="declarations/a.pdf")
    by_tutor = DeclaredTraining.objects.create(trainee=trained["trainee"], kind="start", organisation="CFA",
                                               occurred_on=trained["today"], declared_by=trained["tutor"],
                                               evidence="declarations/b.pdf")
    migration.attach_to_employments(apps, None)
    by_employer.refresh_from_db()
    by_tutor.refresh_from_db()
    assert by_employer.employment == trained["employment"] and by_tutor.employment is None
