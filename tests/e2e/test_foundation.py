"""A visitor reads the home page, logs in and reaches their space; axe-core finds no serious violation."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_employer

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_login_and_space_are_accessible(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []

    employer = make_employer(email="docteur@example.org", first_name="Anne", last_name="Morel")
    page.goto(live_server.url + "/comptes/login/")
    assert axe_violations(page) == []

    login(page, live_server, "docteur@example.org", "mauvais-mot-de-passe")
    assert page.get_by_role("alert").count() >= 1
    assert axe_violations(page) == []

    login(page, live_server, employer.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/espace/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon espace"
    assert "Bonjour Anne Morel" in page.content()
    assert axe_violations(page) == []


def test_skip_link_moves_focus_to_main(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Aller au contenu principal" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
