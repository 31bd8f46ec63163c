"""A trainee files a complaint from her space (HTML refused first: a French error), the body's manager takes it in
hand and answers from the register, the trainee reads the answer; axe on each page, and on a 375 px phone."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_staff, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_complaint_from_the_trainee_to_the_register_and_back(page, live_server):
    trainee = make_trainee(email="lina@example.org", first_name="Lina", last_name="Morel")
    body = make_enrolment(trainee=trainee).training_body
    manager = make_staff(training_body=body, role="manager", email="direction@institut.example")

    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/espace/")
    page.get_by_role("link", name="Mes réclamations").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Déposer une réclamation").click()
    page.get_by_label("Catégorie").select_option(label="Plateforme, accès, incident technique")
    page.get_by_label("Objet").fill("Vidéo illisible")
    page.get_by_label("Votre réclamation").fill("<b>La vidéo</b> du module 3 ne se lance pas.")
    page.get_by_role("button", name="Envoyer ma réclamation").click()
    assert "sans balises HTML" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("Votre réclamation").fill("La vidéo du module 3 ne se lance pas depuis lundi.")
    page.get_by_role("button", name="Envoyer ma réclamation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vidéo illisible"
    assert "Pas encore de réponse" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []

    page.context.clear_cookies()
    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/reclamations/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Vidéo illisible").click()
    page.get_by_role("button", name="Prendre en charge").click()
    assert "En cours de traitement" in page.inner_text("main")
    page.get_by_label("Réponse à l'auteur·rice de la réclamation").fill("La vidéo est réparée, merci.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    assert "Votre réponse a été envoyée" in page.inner_text("main")
    assert axe_violations(page) == []

    page.context.clear_cookies()
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/espace/reclamations/")
    page.get_by_role("link", name="Vidéo illisible").click()
    assert "La vidéo est réparée, merci." in page.inner_text("main")
