"""Home page, French first, language switch, base template accessibility, demo data."""
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.accounts.models import TraineeProfile, User
from lms.demo import data as demo
from lms.learning.models import Enrolment
from lms.organisations.models import Employment, TrainingBodyMembership
from lms.xapi.models import Statement

pytestmark = pytest.mark.django_db


def test_home_speaks_to_each_kind_of_visitor_in_french(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html
    for heading in ("Vous êtes assistant·e médical·e en formation", "Vous êtes médecin employeur",
                    "Vous êtes un organisme de formation"):
        assert heading in html
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<main" in html and "<nav" in html and "<footer" in html


def test_language_switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "You are a doctor who employs an assistant" in html


def test_dates_are_french(client):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fr"):
        assert Template('{{ d|date:"j F Y" }}').render(Context({"d": date(2026, 11, 24)})) == "24 novembre 2026"


def test_seed_demo_is_idempotent_and_matches_readme():
    call_command("seed_demo")
    counts = (User.objects.count(), Employment.objects.count(), TrainingBodyMembership.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Employment.objects.count(), TrainingBodyMembership.objects.count()) == counts
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"), encoding="utf-8").read()
    assert demo.DEMO_PASSWORD in readme
    for local_part, *_ in demo.ACCOUNTS:
        email = demo.demo_email(local_part)
        assert email in readme
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)
    assert TraineeProfile.objects.get(user__email=demo.demo_email("secretaire")).entry_profile == "secretary"
    # The demo's enrolments go through the enrolment service: each trace starts with one 'registered'.
    enrolments = list(Enrolment.objects.all())
    assert len(enrolments) >= 3
    for enrolment in enrolments:
        trace = Statement.objects.filter(registration=enrolment.registration).order_by("timestamp", "stored_at")
        assert trace.first().verb == "http://adlnet.gov/expapi/verbs/registered", enrolment
        assert trace.filter(verb="http://adlnet.gov/expapi/verbs/registered").count() == 1, enrolment


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


PRODUCTION_ENV = {"SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
                  "ALLOWED_HOSTS": "parcours-am.example.org"}


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
