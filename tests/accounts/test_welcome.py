"""A first login that makes sense: a trainee enrolled by a body gets a welcome email naming the body, the track and
the start date, whose link (one use, some days) sets the password, confirms the address and lands in Mon parcours."""
import re
import time
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from lms.accounts import welcome
from lms.accounts.models import User
from tests.factories import make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db

PASSWORD = "Une-phrase-de-passe-solide-42"


@pytest.fixture
def enrolled(client, django_capture_on_commit_callbacks):
    """A body's manager enrols a new address; returns (the new user, the welcome email, the link's path)."""
    body = make_training_body(name="Institut Hippocrate")
    make_track(training_body=body, title="Parcours secrétaires 12 jours", profiles=("secretary",))
    client.force_login(make_staff(training_body=body, role="manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment_create"), {
            "email": "lea.petit@example.org", "first_name": "Léa", "last_name": "Petit",
            "entry_profile": "secretary", "track": "", "cohort": "", "starts_on": "2026-03-02"})
    assert response.status_code == 302
    client.logout()
    [email] = mail.outbox
    path = re.search(r"http://testserver(/comptes/bienvenue/\S+/)", email.body).group(1)
    return User.objects.get(email="lea.petit@example.org"), email, path


def test_the_welcome_email_names_the_body_the_track_and_the_start_date(enrolled):
    user, email, path = enrolled
    assert email.to == ["lea.petit@example.org"]
    assert "Institut Hippocrate" in email.subject and "Parcours secrétaires 12 jours" in email.subject
    assert "Bonjour Léa," in email.body
    assert "Institut Hippocrate vous a inscrit·e" in email.body
    assert "Parcours : Parcours secrétaires 12 jours" in email.body and "Début : 2 mars 2026" in email.body
    assert "une seule fois et pendant 7 jours" in email.body
    assert "mot de passe oublié" not in email.body.lower()  # not allauth's generic reset email any more


def test_the_link_sets_the_password_confirms_the_address_and_lands_in_my_track(client, enrolled):
    user, email, path = enrolled
    page = client.get(path)
    assert page.status_code == 200 and "lea.petit@example.org" in page.content.decode()
    assert not EmailAddress.objects.get(user=user).verified
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("my_track")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user, email="lea.petit@example.org").verified
    landing = client.get(response["Location"])
    assert "Parcours secrétaires 12 jours" in landing.content.decode()  # logged in, on their track
    # Later logins need no second verification email.
    client.logout()
    outbox = len(mail.outbox)
    login = client.post(reverse("account_login"), {"login": "lea.petit@example.org", "password": PASSWORD})
    assert login.status_code == 302 and "confirm" not in login["Location"] and len(mail.outbox) == outbox


def test_the_link_works_once(client, enrolled):
    user, email, path = enrolled
    client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "Ce lien ne peut plus être utilisé" in again.content.decode()
    stolen = client.post(path, {"new_password1": "Autre-phrase-de-passe-99", "new_password2": "Autre-phrase-de-passe-99"})
    assert stolen.status_code == 410
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_bad_passwords_get_french_field_errors_and_change_nothing(client, enrolled):
    user, email, path = enrolled
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert response.status_code == 400
    assert "Les deux mots de passe ne correspondent pas." in response.content.decode()
    response = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 400 and "trop court" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password() and not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session
    assert client.get(path).status_code == 200  # still usable


@pytest.mark.parametrize("token", ["forged", "a" * 300, "eyJ1IjoxfQ:1v0A:abc", ""])
def test_forged_links_are_refused_cleanly(client, token):
    response = client.get(f"/comptes/bienvenue/{token}/") if token else client.get("/comptes/bienvenue/x/")
    assert response.status_code == 410
    assert "Ce lien ne peut plus être utilisé" in response.content.decode()


def test_an_account_that_has_a_password_has_no_welcome_link(client):
    person = make_trainee(email="deja@example.org")  # the factory gives a usable password
    assert client.get(reverse("account_welcome", args=[welcome.welcome_token(person)])).status_code == 410


def test_an_expired_link_asks_for_a_new_one_sent_to_the_account_once_in_a_while(client, enrolled, monkeypatch):
    user, email, path = enrolled
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 8 * 24 * 3600)
    old = welcome.welcome_token(user)  # made eight days ago
    monkeypatch.setattr(time, "time", real)
    page = client.get(reverse("account_welcome", args=[old]))
    assert page.status_code == 410 and "Ce lien a expiré" in page.content.decode()
    assert client.post(reverse("account_welcome", args=[old]),
                       {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 410
    user.refresh_from_db()
    assert not user.has_usable_password()
    mail.outbox.clear()
    renew = client.post(reverse("account_welcome_renew", args=[old]))
    assert renew.status_code == 200 and "Un nouveau lien" in renew.content.decode()
    [new_email] = mail.outbox
    assert new_email.to == ["lea.petit@example.org"]
    new_path = re.search(r"http://testserver(/comptes/bienvenue/\S+/)", new_email.body).group(1)
    client.post(reverse("account_welcome_renew", args=[old]))
    assert len(mail.outbox) == 1  # not again within ten minutes
    assert client.post(new_path, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302


def test_a_used_or_forged_link_cannot_ask_for_a_new_one(client, enrolled):
    user, email, path = enrolled
    token = path.split("/")[-2]
    client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    mail.outbox.clear()
    assert client.post(reverse("account_welcome_renew", args=[token])).status_code == 410
    assert client.post(reverse("account_welcome_renew", args=["forged"])).status_code == 410
    assert mail.outbox == []


def test_the_csv_import_sends_the_welcome_email_too(client, django_capture_on_commit_callbacks):
    body = make_training_body(name="Institut Galien")
    make_track(training_body=body, title="Parcours 12 jours", profiles=("secretary",))
    client.force_login(make_staff(training_body=body, role="manager"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "email;prenom;nom;profil;debut\nimport.un@example.org;Inès;Roy;secretaire;\n".encode()
    preview = client.post(reverse("enrolment_import"), {"file": SimpleUploadedFile("inscrits.csv", csv),
                                                        "starts_on": date(2026, 4, 1).isoformat()})
    assert "1 ligne est prête" in preview.content.decode() or "prête" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enrolment_import"), {"confirm": "1"})
    [email] = mail.outbox
    assert email.to == ["import.un@example.org"] and "Institut Galien" in email.body
    assert "/comptes/bienvenue/" in email.body and "Début : 1er avril 2026" in email.body
