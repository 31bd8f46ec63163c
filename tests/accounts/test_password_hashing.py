"""Passwords are hashed with Argon2id at the costs measured for a login storm; older hashes upgrade at login."""
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from lms.accounts.hashers import Argon2PasswordHasher
from lms.settings import base
from tests.factories import PASSWORD, make_user


@pytest.fixture
def production_hashers(settings):
    """The hashers of every real environment (the test settings use MD5 for speed)."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_argon2id_first_with_owasp_costs_and_pbkdf2_still_checks(production_hashers):
    """A new hash is Argon2id at m=19 MiB, t=2, p=1; a PBKDF2 hash of Django's default still checks."""
    assert django_settings.PASSWORD_HASHERS[0] == "lms.accounts.hashers.Argon2PasswordHasher"
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert isinstance(identify_hasher(encoded), Argon2PasswordHasher)
    assert check_password(PASSWORD, encoded)
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    assert old.startswith("pbkdf2_sha256$1000000$")
    assert check_password(PASSWORD, old) and not check_password("autre-chose", old)


@pytest.mark.django_db
def test_a_pbkdf2_hash_is_rewritten_with_argon2_at_login(client, production_hashers):
    """Logging in through the login page replaces an existing PBKDF2 hash by an Argon2id one, same password."""
    user = make_user(email="ancienne@example.org")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(reverse("account_login"), {"login": "ancienne@example.org", "password": PASSWORD})

    assert response.status_code == 302 and "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_an_argon2_hash_with_django_default_costs_is_rewritten_with_ours(client, production_hashers):
    """A hash made with Django's own Argon2 costs (100 MiB, p=8) is brought to the measured ones at login."""
    from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2

    user = make_user(email="argon-defaut@example.org")
    user.password = DjangoArgon2().encode(PASSWORD, DjangoArgon2().salt())
    user.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in user.password

    client.post(reverse("account_login"), {"login": "argon-defaut@example.org", "password": PASSWORD})

    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
