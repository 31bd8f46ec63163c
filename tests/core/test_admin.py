"""The Django admin of the platform's administrators (issue 16, point 6): French titles and names, one accounts
section, evidence read-only with its history in French, no third-party avatars, a favicon."""
import re

import pytest
from django.urls import reverse

from lms.certificates.models import Certificate
from lms.certificates.services import certificate_revoke
from tests.certificates.test_certificates import complete
from tests.factories import make_enrolment, make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(email="admin@plateforme.example", is_staff=True, is_superuser=True))
    return client


def test_the_admin_index_speaks_french_with_one_accounts_section(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Parcours AM — administration" in html
    captions = re.findall(r'<caption>\s*<a [^>]*>([^<]+)</a>', html)
    assert captions.count("Comptes") == 1, captions  # allauth's addresses and MFA are on each user, not a section
    assert "Rappels envoyés" in html and "sents" not in html
    for name in ("Inscriptions", "Sessions", "Attestations"):
        assert f">{name}</a>" in html, name


def test_enrolments_and_certificates_are_read_only_with_a_french_history(admin_client):
    enrolment = complete(make_enrolment())
    certificate = Certificate.objects.get(enrolment=enrolment)
    certificate_revoke(certificate=certificate, by=make_staff(), reason="Fraude constatée")
    url = reverse("admin:certificates_certificate_change", args=[certificate.pk])
    html = admin_client.get(url).content.decode()
    assert "Délivrée" in html and "Révoquée" in html and "Fraude constatée" in html
    # nothing can be changed, added or deleted here: the body's pages do it, and log it
    response = admin_client.post(url, {"trainee_name": "Quelqu'un d'autre"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.trainee_name != "Quelqu'un d'autre"
    assert admin_client.get(reverse("admin:certificates_certificate_add")).status_code == 403
    assert admin_client.post(reverse("admin:certificates_certificate_delete", args=[certificate.pk]),
                             {"post": "yes"}).status_code == 403
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert admin_client.get(reverse("admin:learning_enrolment_add")).status_code == 403
    html = admin_client.get(reverse("admin:learning_enrolment_changelist")).content.decode()
    assert enrolment.track.title in html


def test_a_user_page_shows_their_addresses_and_second_factors(admin_client):
    user = make_user(email="ines@exemple.fr")
    html = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'value="ines@exemple.fr"' in html and "Seconds facteurs" in html


def test_wagtail_speaks_french_and_fetches_no_avatar(client):
    html = client.get("/cms/login/").content.decode()
    assert 'lang="fr"' in html and "S'identifier" in html
    author = make_user(email="auteur@exemple.fr", is_staff=True, is_superuser=True)
    client.force_login(author)
    html = client.get("/cms/").content.decode()
    assert "gravatar" not in html.lower()


def test_a_favicon_on_every_page(client):
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon[^"]*\.svg"', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
