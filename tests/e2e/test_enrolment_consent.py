"""A body types the address of an existing account: the person accepts the invitation in Mon espace; the body
can then withdraw the enrolment after a confirmation step."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_existing_account_accepts_an_invitation_then_is_withdrawn(page, live_server):
    body = make_training_body(name="Institut Alpha")
    track = make_track(training_body=body, title="Parcours Alpha 12 jours")
    tutor = make_staff(training_body=body, role="tutor", email="tutrice@alpha.example")
    make_trainee(email="deja.inscrite@example.org", first_name="Réelle", last_name="Personnevraie")

    login(page, live_server, tutor.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/apprenants/inscrire/")
    page.locator("#id_email").fill("deja.inscrite@example.org")
    page.locator("#id_first_name").fill("Saisie")
    page.locator("#id_last_name").fill("Parlorganisme")
    page.locator("#id_starts_on").fill("2026-03-02")
    page.get_by_role("button", name="Inscrire").click()
    main = page.inner_text("main")
    assert "deja.inscrite@example.org a déjà un compte" in main
    assert "Saisie Parlorganisme" in main and "En attente" in main and "Personnevraie" not in main
    assert axe_violations(page) == []

    page.context.clear_cookies()
    login(page, live_server, "deja.inscrite@example.org", PASSWORD)
    page.goto(f"{live_server.url}/espace/")
    offers = page.get_by_role("region", name="Invitations à une formation")
    assert "Institut Alpha" in offers.inner_text() and "2 mars 2026" in offers.inner_text()
    assert axe_violations(page) == []
    offers.get_by_role("button", name="Accepter").click()
    assert page.url.endswith("/mon-parcours/")
    assert "Vous êtes inscrit·e au parcours « Parcours Alpha 12 jours » avec Institut Alpha." in page.inner_text("main")

    page.context.clear_cookies()
    login(page, live_server, tutor.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/apprenants/")
    page.get_by_role("link", name="Réelle Personnevraie").click()
    page.get_by_role("link", name="Retirer du parcours").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirmer le retrait").click()
    assert "Réelle Personnevraie a été retiré·e du parcours « Parcours Alpha 12 jours »." in page.inner_text("main")
    assert track.enrolments.get().status == "withdrawn"


def test_a_new_address_follows_its_welcome_link_into_its_track(page, live_server):
    """The body enrols a new address; the welcome email's link lets the person choose a password (French errors
    first) and lands them in Mon parcours, logged in; the pages pass axe."""
    import re

    from django.core import mail

    body = make_training_body(name="Institut Bêta")
    make_track(training_body=body, title="Parcours Bêta 12 jours")
    manager = make_staff(training_body=body, role="manager", email="direction@beta.example")
    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/apprenants/inscrire/")
    page.locator("#id_email").fill("nouvelle.venue@example.org")
    page.locator("#id_first_name").fill("Nora")
    page.locator("#id_last_name").fill("Venue")
    page.locator("#id_starts_on").fill("2026-03-02")
    page.get_by_role("button", name="Inscrire").click()
    [email] = [m for m in mail.outbox if m.to == ["nouvelle.venue@example.org"]]
    assert "Institut Bêta" in email.body and "Parcours Bêta 12 jours" in email.body and "2 mars 2026" in email.body
    link = live_server.url + re.search(r"https?://[^/\s]+(/comptes/bienvenue/\S+/)", email.body).group(1)

    page.context.clear_cookies()
    page.goto(link)
    assert "nouvelle.venue@example.org" in page.inner_text("main")
    assert axe_violations(page) == []
    page.locator("#id_new_password1").fill("Une-phrase-de-passe-solide-42")
    page.locator("#id_new_password2").fill("Une-autre-phrase-42")
    page.get_by_role("button", name="Enregistrer mon mot de passe et commencer").click()
    assert "Les deux mots de passe ne correspondent pas." in page.inner_text("main")
    assert axe_violations(page) == []
    page.locator("#id_new_password1").fill("Une-phrase-de-passe-solide-42")
    page.locator("#id_new_password2").fill("Une-phrase-de-passe-solide-42")
    page.get_by_role("button", name="Enregistrer mon mot de passe et commencer").click()
    assert page.url.endswith("/mon-parcours/")
    main = page.inner_text("main")
    assert "Bienvenue" in main and "Parcours Bêta 12 jours" in main
    page.goto(link)
    assert "Ce lien ne peut plus être utilisé" in page.inner_text("main")
    assert axe_violations(page) == []
