"""'Mon espace' shows each role's entry points, and only the account for a user with no role."""
import pytest
from django.urls import reverse

from tests.factories import make_employer, make_staff, make_trainee, make_user

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts_dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_user_without_role_sees_only_their_account(client):
    client.force_login(make_user())
    html = client.get(reverse("accounts_dashboard")).content.decode()
    assert "Aucun rôle pour le moment" in html
    assert reverse("practice_home") not in html
    assert reverse("training_body_home") not in html


def test_employer_sees_their_practice(client):
    employer = make_employer()
    client.force_login(employer)
    html = client.get(reverse("accounts_dashboard")).content.decode()
    assert employer.practice_memberships.get().practice.name in html
    assert reverse("practice_home") in html


def test_staff_sees_their_training_body_and_role(client):
    staff = make_staff(role="author")
    client.force_login(staff)
    html = client.get(reverse("accounts_dashboard")).content.decode()
    assert "Auteur" in html
    assert reverse("training_body_home") in html


def test_trainee_sees_training_section(client):
    client.force_login(make_trainee())
    assert "Ma formation" in client.get(reverse("accounts_dashboard")).content.decode()
