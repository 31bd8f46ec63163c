"""Password reset and sign-up answer the same whether an address has an account; only its owner learns, by email.
allauth's emails name the platform and link to its address."""
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lms.accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def visible(response):
    """What the visitor sees of an answer: status, where it leads, and the page it leads to."""
    return response.status_code, response.get("Location"), response.redirect_chain[-1][0] if response.redirect_chain else None


def page(response):
    """The page's HTML, without the per-visitor CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address_and_mails_only_the_known():
    make_user(email="connue@example.org")
    known = _reset("connue@example.org")
    unknown = _reset("inconnue@example.org")

    assert visible(known) == visible(unknown) == (200, None, reverse("account_reset_password_done"))
    assert page(known) == page(unknown)
    assert [message.to for message in mail.outbox] == [["connue@example.org"]]  # nothing to an unknown address


def _reset(email):
    return Client().post(reverse("account_reset_password"), {"email": email}, follow=True)


def _signup(email):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "first_name": "Léa", "last_name": "Roux"}
    return Client().post(reverse("account_signup"), data, follow=True)


def test_signup_with_an_address_that_has_an_account_looks_like_any_signup_and_tells_only_the_owner():
    existing = make_user(email="deja@example.org", first_name="Inès")
    new = _signup("nouvelle@example.org")
    mail.outbox.clear()
    taken = _signup("deja@example.org")

    assert visible(new) == visible(taken)
    assert page(new).replace("nouvelle@", "deja@") == page(taken)
    assert visible(taken)[2] == reverse("account_email_verification_sent")
    assert "déjà" not in taken.content.decode()
    assert User.objects.filter(email="deja@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Inès"  # the form's names did not touch the existing account
    assert [message.to for message in mail.outbox] == [["deja@example.org"]]
    assert "Parcours AM" in mail.outbox[0].body


def test_allauth_emails_name_the_site_and_link_to_its_configured_address(settings):
    """The reset email says "Parcours AM", not the host the request came to, and its link uses LMS_BASE_URL."""
    settings.LMS_BASE_URL = "https://parcours-am.example.org"
    make_user(email="oubli@example.org")
    _reset("oubli@example.org")
    message = mail.outbox[0]
    assert message.subject.startswith("[Parcours AM] ")
    assert "Parcours AM" in message.body
    assert "testserver" not in message.body
    assert "https://parcours-am.example.org/comptes/password/reset/key/" in message.body


def test_in_development_allauth_links_follow_the_host_and_port_of_the_request(settings):
    """Without LMS_BASE_URL, a site served on port 8101 sends links to port 8101."""
    settings.LMS_BASE_URL_FOLLOWS_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    make_user(email="dev@example.org")
    Client(HTTP_HOST="127.0.0.1:8101").post(reverse("account_reset_password"), {"email": "dev@example.org"})
    assert "http://127.0.0.1:8101/comptes/password/reset/key/" in mail.outbox[0].body

