"""A manager names the body's disability referent; the referent sets a trainee's accommodation (HTML in the note
refused first: a French error); the trainee reads it and the referent's contact in her space; axe on each page."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_staff, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_referent_sets_an_accommodation_that_the_trainee_reads(page, live_server):
    trainee = make_trainee(email="lina@example.org", first_name="Lina", last_name="Morel")
    body = make_enrolment(trainee=trainee).training_body
    manager = make_staff(training_body=body, role="manager", email="direction@institut.example")
    make_staff(training_body=body, role="tutor", email="rita@institut.example", first_name="Rita",
               last_name="Référente")

    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/handicap/")
    assert axe_violations(page) == []
    page.get_by_label("Référent·e handicap").select_option(label="Rita Référente (Tuteur·rice)")
    page.get_by_label("Téléphone de contact").fill("01 02 03 04 05")
    page.get_by_role("button", name="Enregistrer le ou la référent·e").click()
    assert "Le ou la référent·e handicap est enregistré·e." in page.inner_text("main")
    assert "Rita Référente" in page.inner_text("main")

    page.context.clear_cookies()
    login(page, live_server, "rita@institut.example", PASSWORD)
    page.goto(f"{live_server.url}/organisme/handicap/")
    page.get_by_role("link", name="Définir un aménagement pour Lina Morel").click()
    assert axe_violations(page) == []
    page.get_by_label("Temps supplémentaire aux quiz chronométrés (%)").fill("33")
    page.get_by_label("Durée prévue allongée (%)").fill("25")
    page.get_by_label("Note pour les tuteurs et tutrices").fill("<b>Dyslexie</b>")
    page.get_by_role("button", name="Enregistrer l'aménagement").click()
    assert "sans balises HTML" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("Note pour les tuteurs et tutrices").fill("Dyslexie : consignes en police agrandie.")
    page.get_by_role("button", name="Enregistrer l'aménagement").click()
    assert "L'aménagement est enregistré" in page.inner_text("main")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/espace/")
    page.get_by_role("link", name="Handicap : référent·e et aménagements").click()
    main = page.inner_text("main")
    assert "Rita Référente" in main and "+33 %" in main and "Dyslexie : consignes en police agrandie." in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
