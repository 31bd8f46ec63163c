"""A body's manager fills in its legal identity from 'My training body': a wrong SIRET is a French field error, then
the identity shows as the attestations will print it; the pages pass axe."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_staff, make_training_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_fills_in_the_bodys_legal_identity(page, live_server):
    body = make_training_body(name="Institut Gamma")
    manager = make_staff(training_body=body, role="manager", email="direction@gamma.example")
    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/")
    page.get_by_role("link", name="Identité légale (imprimée sur les attestations et les relevés)").click()
    assert axe_violations(page) == []
    page.get_by_label("Raison sociale").fill("Gamma Formation SARL")
    page.get_by_label("Adresse").fill("3 quai des Chartrons\n33000 Bordeaux")
    page.get_by_label("Numéro SIRET").fill("732 829 320 00075")
    page.get_by_label("Numéro de déclaration d'activité").fill("72330000033")
    page.get_by_label("Région de la déclaration d’activité").fill("Nouvelle-Aquitaine")
    page.get_by_role("button", name="Enregistrer").click()
    assert "Ce numéro SIRET n’est pas valide : vérifiez ses chiffres." in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("Numéro SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Enregistrer").click()
    assert "L’identité légale de l’organisme Institut Gamma est enregistrée." in page.inner_text("main")
    page.get_by_role("link", name="Identité légale (imprimée sur les attestations et les relevés)").click()
    printed = page.inner_text("address")
    assert "Gamma Formation SARL" in printed and "SIRET 732 829 320 00074" in printed
    assert "Cet enregistrement ne vaut pas agrément de l’État." in printed
