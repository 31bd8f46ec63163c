"""Personal data: a full export, and an erasure that keeps what the law requires."""
import json

import pytest
from django.urls import reverse

from lms.accounts.models import User
from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.learning.services import lesson_complete
from tests.factories import PASSWORD, make_enrolment, make_practice, make_track, make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified():
    trainee = make_trainee(first_name="Inès", last_name="Moreau", email="ines@example.org", practice=make_practice())
    enrolment = make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1))
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    return trainee


def test_export_contains_everything_about_me_only(client, certified):
    other = make_trainee(email="autre@example.org")
    client.force_login(certified)
    response = client.get(reverse("my_data"), {"format": "json"})
    data = json.loads(response.content)
    assert data["account"]["email"] == "ines@example.org"
    assert data["employments"] and data["enrolments"][0]["status"] == "completed"
    assert data["certificates"][0]["status"] == "valid" and data["learning_traces"]
    assert other.email not in response.content.decode()


def test_erasure_needs_confirmation_and_password(client, certified):
    client.force_login(certified)
    assert client.post(reverse("my_data"), {"confirm": "1", "password": "faux"}).status_code == 400
    assert User.objects.get(pk=certified.pk).email == "ines@example.org"


def test_erasure_keeps_only_the_name_of_the_evidence_and_certificate_stays_verifiable(client, certified):
    code = Certificate.objects.get().code
    client.force_login(certified)
    response = client.post(reverse("my_data"), {"confirm": "1", "password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(pk=certified.pk)
    assert not user.is_active and "ines@" not in user.email and user.erased_at is not None
    assert user.get_full_name() == "Inès Moreau"  # the evidence must still say whose it is (issue 15, point 7)
    assert not user.has_usable_password() and not user.emailaddress_set.exists()
    assert "Attestation valide" in client.get(reverse("certificate_verify", args=[code])).content.decode()
    assert client.post(reverse("account_login"), {"login": "ines@example.org", "password": PASSWORD}).status_code == 200


def test_erasure_ends_every_session_of_the_account(client, certified):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(certified)  # another browser
    assert elsewhere.get(reverse("my_track")).status_code == 200
    client.force_login(certified)
    client.post(reverse("my_data"), {"confirm": "1", "password": PASSWORD})
    assert elsewhere.get(reverse("my_track")).status_code == 302  # to the login page
