"""Error pages: 400, 403 (CSRF failure included), 404, 429 and 500 in the site's layout, in French or English."""
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from lms.core.views import server_error
from tests.factories import PASSWORD, make_trainee, make_user

pytestmark = pytest.mark.django_db

FRENCH, ENGLISH = "fr", "en"


def assert_error_page(response, status, language, heading):
    """The status, and an accessible page of the site in `language`: skip link, landmarks, one h1."""
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and 'role="banner"' in html and 'role="contentinfo"' in html
    assert html.count("<h1") == 1 and f"<h1>{heading}</h1>" in html
    assert "Parcours AM" in html
    assert f"{'Erreur' if language == FRENCH else 'Error'} {status}" in html


def client_in(language, **extra):
    return Client(HTTP_ACCEPT_LANGUAGE=language, **extra)


@pytest.mark.parametrize("language, heading", [(FRENCH, "Page introuvable"), (ENGLISH, "Page not found")])
def test_404(language, heading):
    assert_error_page(client_in(language).get("/cette-page-n-existe-pas/"), 404, language, heading)


@pytest.mark.parametrize("language, heading", [(FRENCH, "Accès refusé"), (ENGLISH, "Access denied")])
def test_403(language, heading):
    client = client_in(language)
    client.force_login(make_trainee())
    assert_error_page(client.get(reverse("practice_invite")), 403, language, heading)


@pytest.mark.parametrize("language, heading", [(FRENCH, "Formulaire non vérifié"),
                                               (ENGLISH, "Form could not be verified")])
def test_403_on_a_form_sent_without_a_valid_csrf_token(language, heading):
    client = client_in(language, enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": PASSWORD})
    assert_error_page(response, 403, language, heading)


@pytest.mark.parametrize("language, heading", [(FRENCH, "Requête incorrecte"), (ENGLISH, "Bad request")])
def test_400_on_an_unknown_host(language, heading):
    assert_error_page(client_in(language, HTTP_HOST="inconnu.example.net").get("/"), 400, language, heading)


@pytest.mark.parametrize("language, heading", [(FRENCH, "Trop de demandes"), (ENGLISH, "Too many requests")])
def test_429_from_allauth_rate_limits(language, heading):
    """allauth's own 429 (here: a fourth reset request for one address within the hour) is the site's page."""
    make_user(email="oubli@example.org")
    client = client_in(language)
    for _ in range(3):
        assert client.post(reverse("account_reset_password"), {"email": "oubli@example.org"}).status_code == 302
    assert_error_page(client.post(reverse("account_reset_password"), {"email": "oubli@example.org"}),
                      429, language, heading)


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize("language, heading", [(FRENCH, "Erreur du serveur"), (ENGLISH, "Server error")])
def test_500(language, heading):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    assert_error_page(client.get("/en-panne/"), 500, language, heading)


def test_the_500_page_needs_neither_the_request_nor_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override(FRENCH), django_assert_num_queries(0):
        response = server_error(request)
    assert_error_page(response, 500, FRENCH, "Erreur du serveur")
