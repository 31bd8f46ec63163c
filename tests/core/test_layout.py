"""The site header and footer are rendered once per language and variant; their per-request holes are filled."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


def _tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_each_request_gets_its_own_valid_csrf_token_and_can_log_out():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_trainee())
    second.force_login(make_trainee())
    html_first = first.get(reverse("accounts_dashboard")).content.decode()
    html_second = second.get(reverse("accounts_dashboard")).content.decode()
    tokens_first, tokens_second = _tokens(html_first), _tokens(html_second)
    assert len(tokens_first) == 2 and len(set(tokens_first)) == 1  # the logout and language forms
    assert "LMS-LAYOUT" not in html_first + html_second
    assert tokens_first[0] != tokens_second[0]

    response = first.post(reverse("account_logout"), {"csrfmiddlewaretoken": tokens_first[0]})
    assert response.status_code == 302
    assert "_auth_user_id" not in first.session
    refused = second.post(reverse("account_logout"), {"csrfmiddlewaretoken": "forged" * 8})
    assert refused.status_code == 403


def test_the_language_form_returns_to_the_current_path_escaped(client):
    client.force_login(make_trainee())
    html = client.get(reverse("accounts_dashboard"), QUERY_STRING="a=1&b='x'").content.decode()
    assert 'name="next" type="hidden" value="/espace/?a=1&amp;b=&#x27;x&#x27;"' in html
    html = client.get(reverse("accounts_dashboard") + '?x="><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'value="/espace/?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in html


def test_variants_by_login_state_language_and_current_page(client):
    anonymous = client.get(reverse("account_login")).content.decode()
    assert "Se connecter" in anonymous and "Se déconnecter" not in anonymous

    client.force_login(make_trainee())
    dashboard = client.get(reverse("accounts_dashboard")).content.decode()
    assert "Se déconnecter" in dashboard
    assert re.search(r'href="/espace/" aria-current="page">Mon espace', dashboard)
    elsewhere = client.get(reverse("my_track")).content.decode()
    assert "Se déconnecter" in elsewhere and 'aria-current="page">Mon espace' not in elsewhere
    assert '<option value="fr" lang="fr" selected>' in elsewhere
    assert "Accessibilité : non conforme" in elsewhere

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("my_track")).content.decode()
    assert "Log out" in english and "Se déconnecter" not in english
    assert '<option value="en" lang="en" selected>' in english
    assert "Accessibility: not compliant" in english
