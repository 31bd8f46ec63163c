"""Issue 15, point 1 (a–c): the document of a certification result is downloaded by the body's staff, the trainee
and the employer of that assistant, nobody else; it is linked where the result is shown, exported with the
person's data, and listed read-only in the Django admin."""
from datetime import date

import pytest
from django.urls import reverse

from lms.learning.models import QualificationResult
from lms.learning.services import qualification_result_revoke
from lms.organisations.models import Employment, StaffRole
from lms.reports.personal_data import personal_data
from tests.certificates.test_certificates import complete
from tests.factories import (make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee,
                             make_user, record_result)

pytestmark = pytest.mark.django_db

OBTAINED = date(2026, 6, 1)
DOCUMENT = b"%PDF-1.4\n% resultat du jury\n"  # tests.factories.pdf_upload


@pytest.fixture
def world():
    practice = make_practice()
    trainee = make_trainee(practice=practice, first_name="Lina", last_name="Roux", hired_on=date(2025, 1, 15))
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1, certification=True),
                                        starts_on=date(2026, 1, 5)))
    result = record_result(enrolment, obtained_on=OBTAINED, jury_reference="JURY-2026-042")
    body = enrolment.training_body
    return {"trainee": trainee, "enrolment": enrolment, "result": result, "practice": practice,
            "employer": make_employer(practice=practice),
            "tutor": make_staff(training_body=body, role=StaffRole.TUTOR),
            "author": make_staff(training_body=body, role=StaffRole.AUTHOR),
            "other_staff": make_staff(), "other_employer": make_employer(),
            "other_trainee": make_trainee(practice=make_practice()),
            "admin": make_user(is_staff=True, is_superuser=True)}


def download(client, world, role):
    if role != "anonymous":
        client.force_login(world[role])
    return client.get(reverse("qualification_document", args=[world["result"].pk]))


@pytest.mark.parametrize("role", ["trainee", "employer", "tutor", "author", "admin"])
def test_those_entitled_download_the_document(client, world, role):
    response = download(client, world, role)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCUMENT
    assert response["Content-Disposition"] == f'attachment; filename="certification-{world["result"].pk}.pdf"'
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("role", ["other_staff", "other_employer", "other_trainee"])
def test_others_get_a_404(client, world, role):
    assert download(client, world, role).status_code == 404


def test_a_visitor_is_sent_to_the_login_page(client, world):
    response = download(client, world, "anonymous")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_former_employer_sees_a_result_obtained_while_it_employed_the_assistant_only(client, world):
    Employment.objects.filter(trainee=world["trainee"]).update(ended_on=date(2026, 5, 31))
    assert download(client, world, "employer").status_code == 404
    Employment.objects.filter(trainee=world["trainee"]).update(ended_on=OBTAINED)
    assert download(client, world, "employer").status_code == 200


def test_a_revoked_result_stays_with_the_body_only(client, world):
    qualification_result_revoke(result=world["result"], reason="Erreur de saisie", revoked_by=world["tutor"])
    assert download(client, world, "trainee").status_code == 404
    client.logout()
    assert download(client, world, "employer").status_code == 404
    client.logout()
    assert download(client, world, "tutor").status_code == 200


def test_posting_is_not_allowed(client, world):
    client.force_login(world["trainee"])
    assert client.post(reverse("qualification_document", args=[world["result"].pk])).status_code == 405


def test_the_result_is_linked_where_it_is_shown(client, world):
    link = reverse("qualification_document", args=[world["result"].pk])
    pages = {"tutor": reverse("learner_detail", args=[world["enrolment"].pk]),
             "employer": reverse("employment_detail", args=[world["trainee"].employments.get().pk]),
             "trainee": reverse("my_track")}
    for role, page in pages.items():
        client.force_login(world[role])
        html = client.get(page).content.decode()
        assert link in html, role
        assert "certification obtenue le 1er juin 2026" in html and "JURY-2026-042" in html, role
        client.logout()


def test_the_result_is_in_the_personal_data_export(world):
    [exported] = personal_data(world["trainee"])["qualification_results"]
    assert exported["obtained_on"] == "2026-06-01" and exported["jury_reference"] == "JURY-2026-042"
    assert exported["revoked_at"] is None and exported["track"] == world["enrolment"].track.title


def test_platform_admins_list_results_read_only(client, world):
    client.force_login(world["admin"])
    listing = client.get(reverse("admin:learning_qualificationresult_changelist"))
    html = listing.content.decode()
    assert listing.status_code == 200 and "JURY-2026-042" in html and "Roux" in html
    assert reverse("qualification_document", args=[world["result"].pk]) in html
    assert reverse("admin:learning_qualificationresult_add") not in html  # no "add" button
    change = reverse("admin:learning_qualificationresult_change", args=[world["result"].pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"jury_reference": "MODIFIE"}).status_code == 403
    assert QualificationResult.objects.get().jury_reference == "JURY-2026-042"
    assert client.get(reverse("admin:learning_qualificationresult_add")).status_code == 403
    client.force_login(world["tutor"])
    assert client.get(reverse("admin:learning_qualificationresult_changelist")).status_code == 302
