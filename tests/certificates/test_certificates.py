"""Certificates: issued once on completion, a real PDF (text, font, QR code), verification, revocation, downloads."""
import hashlib
import io
import threading

import pypdfium2
import pytest
import zxingcpp
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from lms.catalog.models import LessonPage
from lms.certificates.codes import ALPHABET, new_code, normalise
from lms.certificates.models import Certificate, CertificateLog
from lms.certificates.rendering import render, verification_url
from lms.certificates.services import certificate_issue, certificate_reissue, certificate_revoke
from lms.core.errors import DomainError
from lms.learning.services import lesson_complete
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_staff,
    make_track,
    make_trainee,
)

pytestmark = pytest.mark.django_db


def complete(enrolment):
    """Finish every lesson of a quiz-less track: the last one completes it."""
    for lesson in LessonPage.objects.descendant_of(enrolment.track):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def certified():
    practice = make_practice()
    trainee = make_trainee(first_name="Nguyễn Thị", last_name="Ánh-Çelik", practice=practice)
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=2)))
    return {"enrolment": enrolment, "certificate": Certificate.objects.get(enrolment=enrolment), "practice": practice}


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_completion_issues_exactly_one_certificate_with_frozen_facts(certified):
    certificate = certified["certificate"]
    assert certified["enrolment"].status == "completed"
    assert Certificate.objects.count() == 1
    assert certificate.trainee_name == "Nguyễn Thị Ánh-Çelik"
    assert certificate.objectives == ["Mesurer la pression artérielle", "Accueillir un patient"]
    assert CertificateLog.objects.get().action == "issued"
    assert certificate_issue(enrolment=certified["enrolment"]).pk == certificate.pk  # idempotent


def test_pdf_is_a4_french_with_every_required_fact_and_unicode_names(certified):
    certificate = certified["certificate"]
    filename, mimetype, data = render(certificate)
    assert filename == f"attestation-{certificate.code}.pdf" and mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(data)
    for expected in ("ATTESTATION DE FIN DE FORMATION", "Nguyễn Thị Ánh-Çelik", certificate.training_body_name,
                     certificate.track_title, "Mesurer la pression artérielle", "Durée prévue : 84 h — durée réalisée : 0,0 h",
                     "Formation à distance (e-learning)", certificate.code, "Fait à"):
        assert expected in text, expected
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert "Helvetica" not in fonts


def test_qr_code_holds_the_absolute_verification_url(certified):
    certificate = certified["certificate"]
    _, _, data = render(certificate)
    image = pypdfium2.PdfDocument(data)[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [verification_url(certificate.code)]
    assert decoded[0].startswith("http://testserver/verification/")


def test_stored_pdf_is_frozen_with_its_hash(client, certified):
    certificate = certified["certificate"]
    stored = certificate.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256
    client.force_login(certified["enrolment"].trainee)
    first = client.get(reverse("certificate_download", args=[certificate.pk])).content
    second = client.get(reverse("certificate_download", args=[certificate.pk])).content
    assert first == second == stored


def test_codes_are_unguessable_and_readable_aloud():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        raw = code.replace("-", "")
        assert len(raw) == 20 and set(raw) <= set(ALPHABET)
    assert not set("0O1I") & set(ALPHABET)
    assert len(ALPHABET) ** 20 > 2 ** 80
    assert normalise(" abcde fghjk-mnpqr stuvw ") == "ABCDE-FGHJK-MNPQR-STUVW"
    assert normalise("ABCDE-FGHJK-MNPQR-STUV0") is None


def test_verification_page_shows_only_what_is_needed(client, certified):
    certificate = certified["certificate"]
    html = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
    assert "Attestation valide" in html and "Nguyễn Thị Ánh-Çelik" in html and certificate.track_title in html
    assert certified["enrolment"].trainee.email not in html
    lower = client.get(reverse("certificate_verify", args=[certificate.code.lower().replace("-", "")]))
    assert lower.status_code == 200


def test_unknown_code_gets_a_clear_404(client):
    response = client.get(reverse("certificate_verify", args=["ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"]))
    assert response.status_code == 404 and "Aucune attestation ne correspond" in response.content.decode()


def test_verification_is_rate_limited(client, settings):
    for _ in range(30):
        client.get(reverse("certificate_verify", args=["ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"]))
    response = client.get(reverse("certificate_verify", args=["ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"]))
    assert response.status_code == 429 and "Trop de demandes" in response.content.decode()


def test_revocation_by_manager_changes_the_page_at_once(client, certified):
    certificate = certified["certificate"]
    body = certified["enrolment"].training_body
    client.force_login(make_staff(training_body=body, role="author"))
    assert client.post(reverse("certificate_revoke", args=[certificate.pk]), {"reason": "x"}).status_code == 403
    client.force_login(make_staff(training_body=body, role="manager"))
    client.post(reverse("certificate_revoke", args=[certificate.pk]), {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    client.post(reverse("certificate_revoke", args=[certificate.pk]), {"reason": "Fraude à l'évaluation"})
    html = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
    assert "Attestation révoquée" in html and "évaluation" not in html  # the reason is not public
    assert CertificateLog.objects.filter(certificate=certificate, action="revoked").exists()


def test_reissue_supersedes_and_manual_issue_needs_a_reason(certified):
    certificate = certified["certificate"]
    manager = make_staff(training_body=certified["enrolment"].training_body, role="manager")
    with pytest.raises(DomainError):
        certificate_reissue(certificate=certificate, by=manager, reason=" ")
    new = certificate_reissue(certificate=certificate, by=manager, reason="Nom corrigé")
    certificate.refresh_from_db()
    assert certificate.status == "superseded" and certificate.superseded_by == new and new.status == "valid"
    assert Certificate.objects.count() == 2  # the old one is kept
    with pytest.raises(DomainError, match="déjà une attestation"):
        certificate_issue(enrolment=certified["enrolment"], issued_by=manager, reason="test")
    other = make_enrolment(track=make_track())
    with pytest.raises(DomainError, match="motif"):
        certificate_issue(enrolment=other, issued_by=manager, reason="")
    manual = certificate_issue(enrolment=other, issued_by=manager, reason="Parcours suivi en présentiel")
    assert manual.issued_by == manager and manual.final_score is None


def test_who_may_download(client, certified):
    certificate = certified["certificate"]
    url = reverse("certificate_download", args=[certificate.pk])
    allowed = [certified["enrolment"].trainee, make_employer(practice=certified["practice"]),
               make_staff(training_body=certified["enrolment"].training_body, role="tutor")]
    for user in allowed:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for user in (make_trainee(), make_employer(), make_staff()):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_trainee_and_employer_see_the_certificate_link(client, certified):
    certificate = certified["certificate"]
    client.force_login(certified["enrolment"].trainee)
    assert reverse("certificate_download", args=[certificate.pk]) in client.get(reverse("my_track")).content.decode()
    client.force_login(make_employer(practice=certified["practice"]))
    assert reverse("certificate_download", args=[certificate.pk]) in client.get(reverse("practice_home")).content.decode()


def test_training_body_lists_and_exports_its_certificates(client, certified):
    client.force_login(make_staff(training_body=certified["enrolment"].training_body, role="tutor"))
    html = client.get(reverse("certificate_list")).content.decode()
    assert certified["certificate"].code in html
    csv = client.get(reverse("certificate_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert certified["certificate"].code in csv and ";" in csv
    client.force_login(make_staff())
    assert certified["certificate"].code not in client.get(reverse("certificate_list")).content.decode()
    assert client.get(reverse("certificate_detail", args=[certified["certificate"].pk])).status_code == 404


def test_a_long_certificate_list_is_paged_with_its_filters_kept_and_the_csv_whole(client, certified):
    from datetime import timedelta

    from django.utils import timezone

    body = certified["enrolment"].training_body
    now = timezone.now()
    for n in range(120):  # one enrolment each (one current certificate per enrolment)
        enrolment = make_enrolment(trainee=make_trainee(), track=certified["enrolment"].track)
        Certificate.objects.create(enrolment=enrolment, code=f"CODE{n:04d}", issued_at=now - timedelta(days=n + 1),
                                   trainee_name=f"Apprenant {n:03d}", track_title="Parcours", training_body_name=body.name,
                                   nominal_hours=84, starts_on=now.date(), ends_on=now.date(),
                                   status="revoked" if n % 2 else "valid")
    client.force_login(make_staff(training_body=body, role="tutor"))
    html = client.get(reverse("certificate_list")).content.decode()
    assert "Lignes 1 à 50 sur 121" in html and html.count('<th scope="row">') == 50
    assert html.index(certified["certificate"].code) < html.index("CODE0000")  # newest first
    revoked = client.get(reverse("certificate_list"), {"statut": "revoked", "page": "2"}).content.decode()
    assert "Lignes 51 à 60 sur 60" in revoked and "Apprenant 001" not in revoked
    assert 'href="?statut=revoked&amp;page=1"' in revoked
    assert client.get(reverse("certificate_list"), {"page": "999"}).content.decode().count('<th scope="row">') == 21
    csv = client.get(reverse("certificate_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.count("CODE0") == 120


@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_issue_one_certificate():
    """Several threads complete the same track at once: the constraint leaves exactly one certificate."""
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    errors = []
    barrier = threading.Barrier(4)

    def issue():
        try:
            barrier.wait()
            certificate_issue(enrolment=enrolment)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert not [e for e in errors if "locked" not in str(e)], errors
