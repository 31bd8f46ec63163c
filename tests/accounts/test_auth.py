"""Accounts: signup, verification, login, rate limits, password reset, TOTP, staff MFA."""
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.urls import reverse

from lms.accounts.models import User
from tests.factories import PASSWORD, make_staff, make_trainee, make_user

pytestmark = pytest.mark.django_db


def signup(client, email="nouvelle@example.org", **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "first_name": "Léa", "last_name": "Roux"}
    data.update(extra)
    return client.post(reverse("account_signup"), data)


def test_signup_creates_user_with_names_and_sends_a_verification_email(client):
    """Signup stores the names, lowercases the email and asks to verify it by email."""
    response = signup(client, email="Nouvelle@Example.org")
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert (user.first_name, user.last_name) == ("Léa", "Roux")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "nouvelle@example.org" in mail.outbox[0].to


def test_signup_with_mismatched_passwords_shows_error_summary(client):
    response = signup(client, password2="autre-chose-123456")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_unverified_user_cannot_log_in_until_verified(client):
    make_user(email="pasverifie@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "pasverifie@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verified_user_logs_in_and_lands_on_their_space(client):
    make_user(email="ok@example.org")
    response = client.post(reverse("account_login"), {"login": "ok@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts_dashboard")


def test_login_is_rate_limited_after_repeated_failures(client):
    make_user(email="cible@example.org")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "cible@example.org", "password": "faux"})
        assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": "cible@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = make_user(email="oubli@example.org")
    client.post(reverse("account_reset_password"), {"email": "oubli@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/comptes/password/reset/key/\S+", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "Nouveau-secret-2026", "password2": "Nouveau-secret-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-secret-2026")


def _activate_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_wrong_totp_code_is_refused_with_a_french_message(client):
    user = make_user(email="totp@example.org")
    _activate_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_totp_code_logs_in(client):
    user = make_user(email="totp2@example.org")
    secret = _activate_totp(user)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    code = f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_staff_without_totp_is_sent_to_totp_setup_when_required(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    staff = make_staff()
    client.force_login(staff)
    response = client.get(reverse("accounts_dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    final = client.get(reverse("mfa_activate_totp"), follow=True)
    assert final.status_code == 200  # TOTP set-up (after re-entering the password) is reachable: no loop
    assert final.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_staff_with_totp_and_trainees_are_not_redirected(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    staff = make_staff()
    _activate_totp(staff)
    client.force_login(staff)
    assert client.get(reverse("accounts_dashboard")).status_code == 200
    client.force_login(make_trainee())
    assert client.get(reverse("accounts_dashboard")).status_code == 200


def test_a_passed_mfa_check_is_remembered_for_a_while_not_forever(client, settings, django_assert_num_queries):
    from lms.organisations import middleware

    settings.LMS_REQUIRE_STAFF_MFA = True
    trainee = make_trainee()
    client.force_login(trainee)
    url = reverse("home")
    client.get(url)
    with django_assert_num_queries(1):  # session and user, read together: the check is not made again
        assert client.get(url).status_code == 200
    make_staff(email="promue@example.org")  # then the trainee becomes staff of a training body
    from lms.organisations.models import TrainingBodyMembership

    TrainingBodyMembership.objects.filter(user__email="promue@example.org").update(user=trainee)
    assert client.get(reverse("accounts_dashboard")).status_code == 200  # still within the recheck delay
    session = client.session
    user_id, checked_at = session[middleware.SESSION_KEY]
    session[middleware.SESSION_KEY] = [user_id, checked_at - middleware.RECHECK_SECONDS - 1]
    session.save()
    assert client.get(reverse("accounts_dashboard")).url == reverse("mfa_activate_totp")
    assert client.get(reverse("accounts_dashboard")).url == reverse("mfa_activate_totp")  # never remembered


def test_staff_mfa_not_required_when_setting_off(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = False
    client.force_login(make_staff())
    assert client.get(reverse("accounts_dashboard")).status_code == 200


def test_admin_is_also_required_to_use_totp(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(reverse("accounts_dashboard")).url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_pages_use_the_site_layout_in_french(client, name):
    html = client.get(reverse(name)).content.decode()
    assert '<html lang="fr">' in html
    assert 'class="skip-link"' in html
    assert html.count("<h1") == 1
    assert "Parcours AM" in html
