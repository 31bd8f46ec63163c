"""Home page, French first, language switch, base template accessibility."""
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from joserfc.jwk import RSAKey

from lms.core.signing import generate_self_signed_pem

pytestmark = pytest.mark.django_db


def test_home_speaks_to_each_kind_of_visitor_in_french(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html
    for heading in ("Vous êtes assistant·e médical·e en formation", "Vous êtes médecin employeur",
                    "Vous êtes un organisme de formation"):
        assert heading in html
    assert html.count("<h1") == 1
    # The site's name, then what it is (it once read "…médicauxParcours AM")
    assert "<title>Parcours AM — Formation et certification des assistant·es médicaux</title>" in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<main" in html and "<nav" in html and "<footer" in html


def test_language_switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "You are a doctor who employs an assistant" in html
    assert "<title>Parcours AM — Training and certification of medical assistants</title>" in html


def test_dates_are_french(client):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fr"):
        assert Template('{{ d|date:"j F Y" }}').render(Context({"d": date(2026, 11, 24)})) == "24 novembre 2026"


def _run_production_check(extra_env):
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "LMS_BASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "lms.settings.production"}, **extra_env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          capture_output=True, text=True, env=env, cwd=os.path.join(os.path.dirname(__file__), "..", ".."))


def test_production_refuses_to_start_without_secret_key():
    result = _run_production_check({"ALLOWED_HOSTS": "parcours-am.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


_SIGNING_PEM = generate_self_signed_pem().decode()  # key and certificate in one PEM, given inline as production may
_BADGES_PEM = RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()  # the Open Badges key, inline too
PRODUCTION_ENV = {"SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
                  "ALLOWED_HOSTS": "parcours-am.example.org",
                  "PDF_SIGNING_KEY": _SIGNING_PEM, "PDF_SIGNING_CERT": _SIGNING_PEM,
                  "OPEN_BADGES_SIGNING_KEY": _BADGES_PEM}


@pytest.mark.parametrize("base_url", [None, "", "http://parcours-am.example.org", "https://",
                                      "https://ailleurs.example.org"])
def test_production_refuses_to_start_without_an_https_base_url_of_an_allowed_host(base_url):
    """QR codes, emails and xAPI ids carry LMS_BASE_URL: unset, plain http or another host stops the start."""
    result = _run_production_check(PRODUCTION_ENV if base_url is None else {**PRODUCTION_ENV, "LMS_BASE_URL": base_url})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "LMS_BASE_URL" in result.stderr


def test_production_check_deploy_is_clean():
    """What `make check-deploy` runs."""
    result = _run_production_check({**PRODUCTION_ENV, "LMS_BASE_URL": "https://parcours-am.example.org"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
