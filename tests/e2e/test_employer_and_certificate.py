"""Browser journeys: the employer finds an assistant at risk and exports; the QR code leads to the verification page."""
from datetime import timedelta

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.learning.services import lesson_complete
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_employer_sees_risk_opens_timeline_and_downloads_csv(page, live_server):
    today = timezone.localdate()
    practice = make_practice(name="Cabinet du Parc")
    employer = make_employer(practice=practice, email="docteur@example.org")
    make_trainee(first_name="Léa", last_name="Urgente", practice=practice, hired_on=today - timedelta(days=2 * 365 - 20))
    login(page, live_server, employer.email, PASSWORD)
    page.goto(live_server.url + "/cabinet/")
    main = page.inner_text("main")
    assert "Léa Urgente" in main and "En risque" in main and "1 assistant·e est en risque." in main
    assert axe_violations(page) == []
    page.get_by_role("link", name="Léa Urgente").click()
    assert "Échéance d'entrée en formation" in page.inner_text("main")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/cabinet/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Exporter (CSV)").click()
    content = open(info.value.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf") and "Urgente;Léa".encode() in content


def test_employer_pages_through_a_large_table_with_the_keyboard(page, live_server):
    """55 assistants: 50 on the first page; the next-page link keeps the sort; the current page is announced."""
    today = timezone.localdate()
    practice = make_practice(name="Maison de santé")
    employer = make_employer(practice=practice, email="grand-cabinet@example.org")
    for i in range(55):
        make_trainee(first_name=f"Prénom{i:02d}", last_name=f"Nom{i:02d}", practice=practice,
                     hired_on=today - timedelta(days=100 + i))
    login(page, live_server, employer.email, PASSWORD)
    page.goto(live_server.url + "/cabinet/?tri=nom&ordre=desc")
    assert page.locator("tbody tr").count() == 50
    page.locator('a[rel="next"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2")
    assert "tri=nom" in page.url and "ordre=desc" in page.url
    rows = page.locator("tbody th[scope=row]").all_inner_texts()
    assert rows == [f"Prénom{i:02d} Nom{i:02d}" for i in range(4, -1, -1)]
    assert page.locator('a[aria-current="page"]').inner_text().endswith("2")
    assert page.locator("th[aria-sort=descending]").count() == 1
    assert axe_violations(page) == []


def test_qr_code_of_the_pdf_opens_the_verification_page(page, live_server, settings):
    settings.LMS_BASE_URL = live_server.url
    enrolment = make_enrolment(trainee=make_trainee(first_name="Ánh", last_name="Nguyễn"), track=make_track(modules=1, lessons=1))
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    certificate = Certificate.objects.get(enrolment=enrolment)
    image = pypdfium2.PdfDocument(certificate.pdf.read())[0].render(scale=3).to_pil()
    [url] = [result.text for result in zxingcpp.read_barcodes(image)]
    page.goto(url)
    main = page.inner_text("main")
    assert "Attestation valide" in main and "Ánh Nguyễn" in main and certificate.code in main
    assert axe_violations(page) == []


def test_keyboard_only_login_and_navigation(page, live_server):
    """A trainee logs in and reaches their track with the keyboard alone."""
    trainee = make_trainee(email="clavier@example.org")
    make_enrolment(trainee=trainee)
    page.goto(live_server.url + "/comptes/login/")
    page.focus("#id_login")
    page.keyboard.type(trainee.email)
    for _ in range(5):  # past the "forgotten password" link to the password field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_password":
            break
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/espace/")
    for _ in range(40):  # tab to the "Mon parcours" button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Mon parcours" and \
                page.evaluate("document.activeElement.closest('main') !== null"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/mon-parcours/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon parcours"


def test_manager_revokes_after_confirming_and_each_page_is_accessible(page, live_server):
    """Détail → 'Révoquer…' → confirmation with the reason → revoked; the public page says so without the reason."""
    enrolment = make_enrolment(trainee=make_trainee(first_name="Ánh", last_name="Nguyễn"), track=make_track(modules=1, lessons=1))
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    certificate = Certificate.objects.get(enrolment=enrolment)
    manager = make_staff(training_body=enrolment.training_body, role="manager", email="responsable@example.org")
    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/attestations/{certificate.pk}/")
    page.get_by_role("link", name="Révoquer…").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Révoquer l'attestation")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Révoquer l'attestation").click()  # no reason: an error, nothing revoked
    assert "Indiquez le motif de la révocation" in page.inner_text("main")
    assert axe_violations(page) == []
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    page.get_by_label("Motif de la révocation").fill("Identité non vérifiée")
    page.get_by_role("button", name="Révoquer l'attestation").click()
    main = page.inner_text("main")
    assert "L'attestation a été révoquée." in main and "Identité non vérifiée" in main
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/verification/{certificate.code}/")
    main = page.inner_text("main")
    assert "Attestation révoquée" in main and "Révoquée le" in main and "Identité" not in main
    assert axe_violations(page) == []
