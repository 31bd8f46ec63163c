"""Legal pages: served at their fixed French URLs from Wagtail pages, edited by platform admins only, created
with their default content when missing; the accessibility statement follows the RGAA model."""
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from lms.legal.content import legal_pages_ensure
from lms.legal.models import URL_NAMES, LegalKind, LegalPage
from lms.organisations.models import StaffRole
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db

URLS = {LegalKind.PRIVACY: "/donnees-personnelles/", LegalKind.ACCESSIBILITY: "/accessibilite/",
        LegalKind.LEGAL_NOTICE: "/mentions-legales/"}


def page(kind):
    legal_pages_ensure()  # a transactional test elsewhere may have flushed what the migration created
    return LegalPage.objects.get(kind=kind)


def headings(html, level):
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html)]


@pytest.mark.parametrize("kind,title,content", [
    (LegalKind.PRIVACY, "Données personnelles", ["Responsables du traitement", "Vos droits", "CNIL", "Cookies"]),
    (LegalKind.ACCESSIBILITY, "Déclaration d'accessibilité", ["article 47 de la loi", "RGAA"]),
    (LegalKind.LEGAL_NOTICE, "Mentions légales", ["Éditeur de la plateforme", "Directeur·rice de la publication",
                                                  "Hébergement"]),
])
def test_each_legal_page_is_served_at_its_fixed_url(client, kind, title, content):
    """Anyone reads the page's title, date and content at its French URL."""
    legal = page(kind)
    assert reverse(URL_NAMES[kind]) == URLS[kind]
    response = client.get(URLS[kind])
    assert response.status_code == 200
    html = response.content.decode()
    assert headings(html, 1) == [title.replace("'", "&#x27;")]
    assert legal.last_updated.strftime("%Y-%m-%d") in html
    for text in content:
        assert text in html
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_footer_links_to_the_three_pages(client):
    html = client.get(reverse("home")).content.decode()
    for url in URLS.values():
        assert f'href="{url}"' in html


def test_the_accessibility_statement_has_the_sections_of_the_rgaa_model(client):
    """The sections of the model statement (accessibilite.numerique.gouv.fr), in order, and a status that
    matches the footer's mention."""
    page(LegalKind.ACCESSIBILITY)
    html = client.get(URLS[LegalKind.ACCESSIBILITY]).content.decode().replace("&#x27;", "'")
    assert headings(html, 2) == ["État de conformité", "Résultats des tests", "Contenus non accessibles",
                                 "Établissement de cette déclaration d'accessibilité",
                                 "Retour d'information et contact", "Voies de recours"]
    for sub in ("Non-conformités", "Dérogations pour charge disproportionnée",
                "Contenus non soumis à l'obligation d'accessibilité", "Technologies utilisées pour la réalisation de "
                "la plateforme", "Environnement de test", "Outils pour évaluer l'accessibilité"):
        assert sub in headings(html, 3)
    assert "est <b>non conforme</b>" in html  # not audited yet: the RGAA says "non conforme"
    assert "Défenseur des droits" in html and "Libre réponse 71120" in html
    assert "article 47 de la loi n° 2005-102" in html


def test_operator_placeholders_are_marked_and_the_privacy_page_links_to_my_data(client):
    page(LegalKind.LEGAL_NOTICE)
    notice = client.get(URLS[LegalKind.LEGAL_NOTICE]).content.decode()
    assert notice.replace("&#x27;", "'").count("<b>[À compléter par l'exploitant : ") >= 10
    privacy = client.get(URLS[LegalKind.PRIVACY]).content.decode()
    assert f'href="{reverse("my_data")}"' in privacy


def test_missing_pages_are_created_on_demand_with_the_default_content(client):
    """A flushed or damaged database: the footer's links still lead somewhere, and the tree stays valid."""
    LegalPage.objects.all().delete()
    response = client.get(URLS[LegalKind.LEGAL_NOTICE])
    assert response.status_code == 200 and "Éditeur de la plateforme" in response.content.decode()
    assert set(LegalPage.objects.values_list("kind", flat=True)) == set(LegalKind.values)
    assert all(not problems for problems in Page.find_problems())


def test_default_content_is_created_once_and_never_overwrites_an_edit():
    legal = page(LegalKind.PRIVACY)
    legal.body = "<p>Texte revu par le juriste.</p>"
    legal.save()
    assert legal_pages_ensure() == []
    assert LegalPage.objects.count() == 3
    legal.refresh_from_db()
    assert legal.body == "<p>Texte revu par le juriste.</p>"


def test_an_unpublished_page_answers_404(client):
    legal = page(LegalKind.PRIVACY)
    legal.unpublish()
    assert client.get(URLS[LegalKind.PRIVACY]).status_code == 404


def test_wagtail_view_live_leads_to_the_fixed_url():
    assert urlsplit(page(LegalKind.ACCESSIBILITY).get_url()).path == "/accessibilite/"
    assert page(LegalKind.LEGAL_NOTICE).full_url == "http://testserver/mentions-legales/"


def edit_data(legal, *, title, body, last_updated):
    return nested_form_data({
        "title": title, "slug": legal.slug, "kind": legal.kind, "last_updated": last_updated.isoformat(),
        "body": rich_text(body), "comments": inline_formset([]), "action-publish": "action-publish",
    })


def test_an_admin_edit_published_in_wagtail_shows_on_the_public_url(client):
    legal = page(LegalKind.LEGAL_NOTICE)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    edit_url = reverse("wagtailadmin_pages:edit", args=[legal.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, edit_data(legal, title="Mentions légales", last_updated=date(2027, 3, 1),
                                               body="<h2>Éditeur</h2><p>Société Exemple SAS, 1 rue de la Paix.</p>"))
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(URLS[LegalKind.LEGAL_NOTICE]).content.decode()
    assert "Société Exemple SAS, 1 rue de la Paix." in html
    assert "1er mars 2027" in html  # the first of the month, as French writes it
    assert "Directeur·rice de la publication" not in html


def test_training_body_staff_cannot_edit_a_legal_page(client):
    """Authors and managers reach the Wagtail admin for their own tracks, not for the legal pages."""
    legal = page(LegalKind.PRIVACY)
    before = legal.body
    edit_url = reverse("wagtailadmin_pages:edit", args=[legal.pk])
    for role in (StaffRole.MANAGER, StaffRole.AUTHOR):
        client.force_login(make_staff(role=role))
        assert client.get(reverse("wagtailadmin_home")).status_code == 200  # they do have the admin
        assert client.get(edit_url).status_code in (302, 403)
        client.post(edit_url, edit_data(legal, title="Piraté", body="<p>Piraté</p>", last_updated=date(2027, 1, 1)))
        legal.refresh_from_db()
        assert legal.body == before and legal.title == "Données personnelles"
        assert not legal.revisions.exists()
    client.logout()
    assert client.get(edit_url).status_code == 302  # to the login page
    assert "Piraté" not in client.get(URLS[LegalKind.PRIVACY]).content.decode()


def test_the_privacy_notice_states_the_periods_the_retention_command_applies(client, settings):
    """Issue 15, point 7: the periods shown come from the settings the command reads; change one, the page follows."""
    page(LegalKind.PRIVACY)
    settings.LMS_EVIDENCE_RETENTION_YEARS = 10
    settings.LMS_INACTIVE_ACCOUNT_YEARS = 2
    settings.LMS_STALE_INVITATION_DAYS = 45
    html = client.get(URLS[LegalKind.PRIVACY]).content.decode()
    assert "Durées de conservation appliquées" in headings(html, 2)
    rows = dict(re.findall(r'<tr id="retention-([a-z_]+)"><th scope="row">.*?</th><td>([^<]+)</td>', html, re.S))
    assert rows["evidence"] == "10 ans" and rows["inactive_accounts"] == "2 ans" and rows["invitations"] == "45 jours"
    assert rows["connection_log"] == "6 ans" and rows["inactivity_warning"] == "30 jours"
    assert "<caption" in html and "Preuves de formation" in html
    assert client.get(URLS[LegalKind.LEGAL_NOTICE]).content.decode().count("retention-evidence") == 0
