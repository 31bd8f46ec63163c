"""The site knows its own address: production requires an https LMS_BASE_URL (tests/core/test_pages.py shows it
refuses to start without); links that leave the page use it; in development they follow the host and port the site
is served on."""
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from tests.factories import make_employer

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("base_url, follows_request, fails", [
    ("http://127.0.0.1:8000", True, True),  # development defaults
    ("http://testserver", False, True),
    ("https://elsewhere.example.org", False, True),  # not one of ALLOWED_HOSTS
    ("https://testserver", False, False),
])
def test_the_deployment_check_requires_an_https_base_url(settings, base_url, follows_request, fails):
    settings.LMS_BASE_URL, settings.LMS_BASE_URL_FOLLOWS_REQUEST = base_url, follows_request
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert ("lms.E001" in ids) is fails


def _invitation_link(host, capture_on_commit):
    employer = make_employer()
    client = Client(HTTP_HOST=host)
    client.force_login(employer)
    with capture_on_commit(execute=True):  # the invitation is emailed once its transaction commits
        response = client.post(reverse("practice_invite"), {
            "practice": employer.practice_memberships.get().practice_id, "first_name": "Nora", "last_name": "Blanc",
            "email": "nora@example.org", "entry_profile": "care_assistant", "hired_on": "2025-10-01",
            "working_time": "half"})
    assert response.status_code == 302
    return re.search(r"https?://\S+/invitations/", mail.outbox[-1].body).group(0)


@pytest.mark.django_db
def test_emailed_links_use_the_configured_address_whatever_host_the_request_came_to(
        settings, django_capture_on_commit_callbacks):
    settings.LMS_BASE_URL = "https://parcours-am.example.org"
    settings.ALLOWED_HOSTS = ["parcours-am.example.org", "autre-nom.example.org"]
    assert _invitation_link("autre-nom.example.org", django_capture_on_commit_callbacks) == "https://parcours-am.example.org/invitations/"


@pytest.mark.django_db
def test_in_development_emailed_links_follow_the_host_and_port_of_the_request(
        settings, django_capture_on_commit_callbacks):
    settings.LMS_BASE_URL_FOLLOWS_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert _invitation_link("127.0.0.1:8101", django_capture_on_commit_callbacks) == "http://127.0.0.1:8101/invitations/"


def test_make_run_gives_the_site_the_address_it_serves_on():
    """`make run PORT=8101` serves on 8101 and the QR codes, emails and xAPI ids of that site say 8101."""
    environ = {key: value for key, value in os.environ.items() if key != "LMS_BASE_URL"}
    done = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert re.search(r"LMS_BASE_URL=http://127\.0\.0\.1:8101 \S+ manage\.py seed_demo", done.stdout)
    assert re.search(r"LMS_BASE_URL=http://127\.0\.0\.1:8101 \S+ manage\.py runserver 127\.0\.0\.1:8101", done.stdout)
