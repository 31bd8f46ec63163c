"""Small things that tell people where they are (issue 16, point 8)."""
import pytest
from django.urls import reverse

from tests.factories import make_employer

pytestmark = pytest.mark.django_db


def test_the_home_page_leads_to_the_attestation_check(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("certificate_verify_form")}"' in html and "Vérifier une attestation" in html


def test_the_calendar_address_comes_with_a_copy_button(client):
    client.force_login(make_employer())
    html = client.post(reverse("calendar_settings"), {"action": "create"}).content.decode()
    assert 'id="ical-url"' in html and 'data-copy="ical-url"' in html and "Copier l'adresse" in html
    assert "js/copy.js" in html and 'role="status" data-copy-status="ical-url"' in html
