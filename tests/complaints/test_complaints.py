"""Complaints (issue 17, point 5): a trainee or an employer files one with a training body from their space; the
body's managers keep the register (status, answer, dates) and export it; nobody else reads a complaint."""
import csv
import io
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from lms.complaints.models import AuthorKind, Complaint, ComplaintStatus
from lms.complaints.selectors import complainant_options
from lms.organisations.models import StaffRole
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_staff,
    make_track,
    make_trainee,
    make_training_body,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    body = make_training_body(name="Organisme Sud")
    practice = make_practice(name="Cabinet des Lilas")
    trainee = make_trainee(practice=practice, first_name="Inès", last_name="Morel")
    enrolment = make_enrolment(trainee=trainee, track=make_track(training_body=body))
    return {"body": body, "practice": practice, "trainee": trainee, "enrolment": enrolment,
            "employer": make_employer(practice=practice, first_name="Paul", last_name="Vidal"),
            "manager": make_staff(training_body=body, role=StaffRole.MANAGER),
            "tutor": make_staff(training_body=body, role=StaffRole.TUTOR)}


def file(client, user, body, **fields):
    client.force_login(user)
    data = {"training_body": body.pk, "category": "platform", "subject": "Vidéo illisible",
            "text": "La vidéo du module 3 ne se lance pas depuis lundi.", "submission_key": str(uuid.uuid4()),
            **fields}
    return client.post(reverse("complaint_new"), data)


def test_a_trainee_files_a_complaint_and_the_managers_hear_of_it(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = file(client, world["trainee"], world["body"])
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaint_mine", args=[complaint.pk])
    assert (complaint.training_body, complaint.author_kind, complaint.status) == (
        world["body"], AuthorKind.TRAINEE, ComplaintStatus.RECEIVED)
    assert complaint.author_name == "Inès Morel" and complaint.practice is None
    to = {tuple(m.to): m for m in mail.outbox}
    assert (world["manager"].email,) in to and (world["trainee"].email,) in to
    assert world["tutor"].email not in {a for m in mail.outbox for a in m.to}  # the register is the managers'
    assert "Nouvelle réclamation : Vidéo illisible" in to[(world["manager"].email,)].subject
    page = client.get(reverse("complaint_mine", args=[complaint.pk])).content.decode()
    assert "La vidéo du module 3 ne se lance pas depuis lundi." in page and "Reçue" in page


def test_an_employer_complains_to_the_body_of_their_assistant(client, world):
    assert file(client, world["employer"], world["body"]).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.author_kind == AuthorKind.EMPLOYER and complaint.practice == world["practice"]


def test_nobody_complains_to_a_body_they_have_no_link_with(client, world):
    stranger_body = make_training_body(name="Organisme Ailleurs")
    response = file(client, world["trainee"], stranger_body)
    assert response.status_code == 400 and "Choisissez l" in response.content.decode()
    outsider = make_trainee()
    client.force_login(outsider)
    assert client.get(reverse("complaint_new")).status_code == 404
    assert complainant_options(outsider) == {}
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"text": "<script>alert(1)</script> bonjour"}, "sans balises HTML"),
    ({"subject": "<b>Urgent</b>"}, "sans balises HTML"),
    ({"text": "x" * 4001}, "4000 caractères au plus"),
    ({"subject": "   "}, "Champ requis."),
    ({"category": "n'importe quoi"}, "Sélectionnez un choix valide"),
    ({"submission_key": "pas-une-clé"}, "Ce formulaire a expiré"),
])
def test_bad_input_is_refused_with_a_french_message_and_nothing_is_written(client, world, fields, message):
    response = file(client, world["trainee"], world["body"], **fields)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_double_submit_files_once(client, world):
    key = str(uuid.uuid4())
    for _ in range(2):
        assert file(client, world["trainee"], world["body"], submission_key=key).status_code == 302
    assert Complaint.objects.count() == 1


def test_filing_is_rate_limited(client, world):
    for _ in range(5):
        assert file(client, world["trainee"], world["body"]).status_code == 302
    response = file(client, world["trainee"], world["body"])
    assert response.status_code == 429 and "réessayez plus tard" in response.content.decode()
    assert Complaint.objects.count() == 5


def test_the_manager_takes_in_hand_and_answers_once(client, world, django_capture_on_commit_callbacks):
    file(client, world["trainee"], world["body"])
    complaint = Complaint.objects.get()
    client.force_login(world["manager"])
    url = reverse("complaint_staff", args=[complaint.pk])
    client.post(url, {"action": "take"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.IN_PROGRESS and complaint.taken_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "La vidéo est réparée ; merci de votre signalement."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED and complaint.answered_by == world["manager"]
    assert [m.to for m in mail.outbox] == [[world["trainee"].email]]
    assert "Réponse à votre réclamation" in mail.outbox[0].subject
    response = client.post(url, {"answer": "Une seconde réponse"})
    assert response.status_code == 400 and "déjà reçu une réponse" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.answer == "La vidéo est réparée ; merci de votre signalement."
    client.force_login(world["trainee"])
    assert "La vidéo est réparée" in client.get(reverse("complaint_mine", args=[complaint.pk])).content.decode()


def test_the_register_lists_filters_and_exports(client, world):
    file(client, world["trainee"], world["body"], subject="Première")
    file(client, world["employer"], world["body"], subject="Seconde", category="administrative")
    Complaint.objects.filter(subject="Première").update(status=ComplaintStatus.ANSWERED, answer="Réglé.")
    client.force_login(world["manager"])
    page = client.get(reverse("complaint_register")).content.decode()
    assert "Première" in page and "Seconde" in page and "Cabinet des Lilas" in page
    page = client.get(reverse("complaint_register"), {"statut": "received"}).content.decode()
    assert "Seconde" in page and "Première" not in page
    response = client.get(reverse("complaint_register_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="registre-reclamations.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Numéro", "Organisme de formation", "Reçue le", "Déposée par"]
    by_subject = {row[7]: row for row in rows[1:]}
    assert by_subject["Première"][9] == "Répondue" and by_subject["Première"][13] == "Réglé."
    assert by_subject["Seconde"][4] == "Employeur" and by_subject["Seconde"][6] == "Inscription, financement, documents"


def test_a_complaint_is_read_only_by_its_author_and_the_managers_of_its_body(client, world):
    file(client, world["trainee"], world["body"])
    complaint = Complaint.objects.get()
    other_manager = make_staff(training_body=make_training_body(), role=StaffRole.MANAGER)
    for user in (world["employer"], world["tutor"], other_manager, make_trainee()):
        client.force_login(user)
        assert client.get(reverse("complaint_mine", args=[complaint.pk])).status_code == 404
        assert client.get(reverse("complaint_staff", args=[complaint.pk])).status_code == 404
        assert client.post(reverse("complaint_staff", args=[complaint.pk]), {"answer": "Pirate"}).status_code == 404
    client.force_login(world["tutor"])
    assert client.get(reverse("complaint_register")).status_code == 403
    assert client.get(reverse("complaint_register_csv")).status_code == 403
    client.force_login(other_manager)
    assert "Vidéo illisible" not in client.get(reverse("complaint_register")).content.decode()
    assert "Vidéo illisible" not in client.get(reverse("complaint_register_csv")).content.decode()
    complaint.refresh_from_db()
    assert complaint.answer == "" and complaint.status == ComplaintStatus.RECEIVED
