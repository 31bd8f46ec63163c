"""The error pages in a browser: the site's layout, French, and no serious axe-core violation."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_trainee

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.core.error_urls")]


def test_404_403_and_500_pages_are_french_and_accessible(page, live_server):
    response = page.goto(live_server.url + "/cette-page-n-existe-pas/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
    assert axe_violations(page) == []

    response = page.goto(live_server.url + "/en-panne/")
    assert response.status == 500
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Erreur du serveur"
    assert axe_violations(page) == []

    trainee = make_trainee(email="stagiaire@example.org")
    login(page, live_server, trainee.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/espace/")
    response = page.goto(live_server.url + "/cabinet/inviter/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    assert axe_violations(page) == []
