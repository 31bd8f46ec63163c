"""Invitations: sent by email, expire, work once, scoped to the sender's organisations."""
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import TraineeProfile, User
from lms.organisations.models import Employment, Invitation, TrainingBodyMembership
from tests.factories import PASSWORD, make_employer, make_practice, make_staff, make_training_body, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _send_on_commit(monkeypatch):
    """Run the on-commit email sending at once, as a real commit would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **k: func())


def invite_assistant(client, practice, **overrides):
    data = {"practice": practice.pk, "first_name": "Nora", "last_name": "Blanc", "email": "nora@example.org",
            "entry_profile": "care_assistant", "hired_on": "2025-10-01", "working_time": "half"}
    data.update(overrides)
    return client.post(reverse("practice_invite"), data)


def link_from_last_email():
    return re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[-1].body).group(1)


def test_practice_invites_assistant_who_creates_account_and_gets_employment(client):
    employer = make_employer()
    practice = employer.practice_memberships.get().practice
    client.force_login(employer)
    response = invite_assistant(client, practice)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nora@example.org"]
    assert "Invitation" in mail.outbox[-1].subject
    link = link_from_last_email()
    client.logout()

    page = client.get(link)
    assert "Créer votre compte" in page.content.decode()
    response = client.post(link, {"first_name": "Nora", "last_name": "Blanc",
                                  "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="nora@example.org")
    assert user.emailaddress_set.get().verified
    assert TraineeProfile.objects.get(user=user).entry_profile == "care_assistant"
    employment = Employment.objects.get(trainee=user)
    assert (employment.practice, employment.hired_on, employment.working_time) == (practice, date(2025, 10, 1), "half")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_invitation_link_works_once(client):
    employer = make_employer()
    client.force_login(employer)
    invite_assistant(client, employer.practice_memberships.get().practice)
    link = link_from_last_email()
    client.logout()
    client.post(link, {"first_name": "N", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    response = client.post(link, {"first_name": "X", "last_name": "Y", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert "Cette invitation a déjà été utilisée" in response.content.decode()
    assert Employment.objects.count() == 1


def test_expired_invitation_is_refused_and_creates_nothing(client):
    employer = make_employer()
    client.force_login(employer)
    invite_assistant(client, employer.practice_memberships.get().practice)
    link = link_from_last_email()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    response = client.post(link, {"first_name": "N", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert "Cette invitation a expiré" in response.content.decode()
    assert not User.objects.filter(email="nora@example.org").exists()


def test_unknown_token_is_404(client):
    assert client.get("/invitations/not-a-real-token/").status_code == 404


def test_forged_practice_id_is_refused_with_a_french_field_error(client):
    employer = make_employer()
    other_practice = make_practice()
    client.force_login(employer)
    response = invite_assistant(client, other_practice)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_invitation_with_bad_hire_date_is_refused(client):
    employer = make_employer()
    client.force_login(employer)
    response = invite_assistant(client, employer.practice_memberships.get().practice, hired_on="2017-01-01")
    assert "la date de recrutement" in response.content.decode().lower()
    assert not Invitation.objects.exists()


def test_second_pending_invitation_for_same_email_is_refused(client):
    employer = make_employer()
    practice = employer.practice_memberships.get().practice
    client.force_login(employer)
    invite_assistant(client, practice)
    response = invite_assistant(client, practice)
    assert response.status_code == 200
    assert "Une invitation est déjà en attente" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_logged_in_user_with_other_email_cannot_accept(client):
    employer = make_employer()
    client.force_login(employer)
    invite_assistant(client, employer.practice_memberships.get().practice)
    link = link_from_last_email()
    client.force_login(make_user(email="intrus@example.org"))
    response = client.post(link)
    assert response.status_code == 400
    assert "Cette invitation a été envoyée à nora@example.org" in response.content.decode()
    assert not Employment.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_existing_account_logs_in_then_accepts_staff_invitation(client):
    manager = make_staff(role="manager")
    body = manager.training_body_memberships.get().training_body
    existing = make_user(email="formatrice@example.org")
    client.force_login(manager)
    response = client.post(reverse("training_body_invite"), {
        "training_body": body.pk, "kind": "staff", "role": "author", "first_name": "F", "last_name": "T",
        "email": "formatrice@example.org"})
    assert response.status_code == 302
    link = link_from_last_email()
    client.logout()
    assert "Se connecter pour accepter" in client.get(link).content.decode()
    client.force_login(existing)
    assert client.post(link).status_code == 302
    assert TrainingBodyMembership.objects.get(user=existing).role == "author"


def test_staff_invitation_requires_a_role(client):
    manager = make_staff(role="manager")
    body = manager.training_body_memberships.get().training_body
    client.force_login(manager)
    response = client.post(reverse("training_body_invite"), {
        "training_body": body.pk, "kind": "staff", "first_name": "F", "last_name": "T", "email": "x@example.org"})
    assert "Choisissez le rôle" in response.content.decode()
    assert not Invitation.objects.exists()


def test_author_cannot_invite_and_other_body_id_is_refused(client):
    author = make_staff(role="author")
    client.force_login(author)
    assert client.get(reverse("training_body_invite")).status_code == 403
    manager = make_staff(role="manager")
    client.force_login(manager)
    response = client.post(reverse("training_body_invite"), {
        "training_body": make_training_body().pk, "kind": "trainee", "entry_profile": "nurse",
        "first_name": "F", "last_name": "T", "email": "x@example.org"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_revoke_only_own_invitations_and_link_stops_working(client):
    employer = make_employer()
    client.force_login(employer)
    invite_assistant(client, employer.practice_memberships.get().practice)
    link = link_from_last_email()
    invitation = Invitation.objects.get()
    client.force_login(make_employer())
    assert client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    client.force_login(employer)
    # the list's button asks first: nothing is cancelled until the question is answered
    asked = client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert asked.status_code == 200 and "Annuler l&#x27;invitation" in asked.content.decode()
    assert invitation.email in asked.content.decode() and 'name="confirmed" value="yes"' in asked.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert client.post(reverse("invitation_revoke", args=[invitation.pk]), {"confirmed": "yes"}).status_code == 302
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "annulée" in response.content.decode()
