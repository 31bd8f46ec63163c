"""Signed PDFs (issue 18, point 3): the attestation, the certificat de réalisation and the relevés carry a PAdES
signature that pyHanko's validator and poppler's pdfsig accept, and that reports any change made to a copy."""
import io
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder_data
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfgen import canvas

from lms.core import signing
from lms.certificates.models import Certificate
from tests.certificates.test_certificates import complete, pdf_text
from tests.certificates.test_realisation import realised  # noqa: F401  (fixture)
from tests.factories import make_enrolment, make_staff, make_track, make_trainee
from tests.reports.test_releve import studied  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def small_pdf(text="Attestation de test"):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(100, 700, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def trusted_context():
    """A validation context that trusts the platform's signing certificate (the generated one in tests)."""
    return ValidationContext(trust_roots=list(load_certs_from_pemder_data(signing.signing_certificate_pem())))


def signature_status(data):
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(signatures) == 1
    # pyHanko's validation starts its own event loop, which cannot run inside one (the browser tests leave one in
    # this thread): validate in a worker thread, as lms.core.signing signs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate_pdf_signature, signatures[0], trusted_context()).result()


def assert_signed_and_intact(data):
    status = signature_status(data)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    return status


def test_sign_pdf_adds_a_pades_signature_named_parcours_am():
    """The signature is PAdES (ETSI.CAdES.detached), in the field 'Parcours AM', with its reason and place."""
    signed = signing.sign_pdf(small_pdf(), reason="Attestation délivrée par Organisme Démo", location="Lyon")
    assert signed.startswith(small_pdf()[:8]) and len(signed) > len(small_pdf())
    status = assert_signed_and_intact(signed)
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert signature.field_name == "Parcours AM"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Attestation délivrée par Organisme Démo"
    assert signature.sig_object["/Location"] == "Lyon"
    assert "Parcours AM" in status.signing_cert.subject.human_friendly
    assert "Attestation de test" in pdf_text(signed)  # the text is still readable


def test_a_byte_changed_inside_the_signed_range_is_reported():
    """A copy edited in place (one byte of the page changed) no longer matches its signature."""
    signed = bytearray(signing.sign_pdf(small_pdf(), reason="Test", location=""))
    position = signed.index(b"/MediaBox") + len(b"/MediaBox [ 0 0 ")  # inside the first, signed revision
    signed[position] = ord("9") if signed[position] != ord("9") else ord("8")
    status = signature_status(bytes(signed))
    assert not status.intact and not status.bottom_line


def test_a_content_change_appended_after_signing_is_reported():
    """An incremental update that changes the page (text added) leaves the signed revision intact, but the signature
    no longer covers the whole file and the change is judged not allowed: readers show the document as modified."""
    signed = signing.sign_pdf(small_pdf(), reason="Test", location="")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.add_stream_to_page(0, writer.add_object(StreamObject(stream_data=b"BT /F1 12 Tf 100 650 Td (Note) Tj ET")))
    out = io.BytesIO()
    writer.write(out)
    status = signature_status(out.getvalue())
    assert status.intact and status.valid  # the signed bytes are untouched...
    assert status.coverage != SignatureCoverageLevel.ENTIRE_FILE  # ...but something was added after them
    assert not status.bottom_line  # and it is not an allowed change (form filling, a later signature)


def test_the_stored_attestation_and_its_download_are_signed(client):
    """The PDF frozen at issuance is signed before it is stored (its SHA-256 is of the signed bytes), and the trainee
    downloads those bytes."""
    enrolment = complete(make_enrolment(trainee=make_trainee(), track=make_track(modules=1, lessons=1)))
    certificate = Certificate.objects.get(enrolment=enrolment)
    with certificate.pdf.open("rb") as handle:
        stored = handle.read()
    status = assert_signed_and_intact(stored)
    signature = PdfFileReader(io.BytesIO(stored)).embedded_signatures[0]
    assert signature.sig_object["/Reason"] == f"Attestation de fin de formation délivrée par {certificate.training_body_name}"
    assert status.signing_cert is not None
    client.force_login(enrolment.trainee)
    response = client.get(reverse("certificate_download", args=[certificate.pk]))
    assert response.status_code == 200 and response.content == stored
    assert "ATTESTATION DE FIN DE FORMATION" in pdf_text(response.content)


def test_the_certificate_of_realisation_is_signed(client, realised):  # noqa: F811
    enrolment = realised["enrolment"]
    client.force_login(enrolment.trainee)
    data = client.get(reverse("realisation_certificate", args=[enrolment.pk])).content
    assert_signed_and_intact(data)
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures[0].sig_object["/Location"] == "Lyon"


def test_the_releves_are_signed(client, studied):  # noqa: F811
    """The trainee's relevé, each relevé of the session's ZIP and the session's summary."""
    enrolment, cohort = studied["enrolment"], studied["cohort"]
    client.force_login(make_staff(training_body=enrolment.training_body, role="tutor"))
    releve = client.get(reverse("attendance_download", args=[enrolment.pk, "pdf"])).content
    assert_signed_and_intact(releve)
    assert PdfFileReader(io.BytesIO(releve)).embedded_signatures[0].sig_object["/Reason"].startswith(
        "Relevé certifié par")
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("cohort_attendance_zip", args=[cohort.pk])).content))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert pdfs
    for name in pdfs:
        assert_signed_and_intact(archive.read(name))
    assert_signed_and_intact(client.get(reverse("cohort_attendance_summary", args=[cohort.pk, "pdf"])).content)


def test_pdfsig_accepts_the_signature_and_rejects_a_modified_copy(tmp_path):
    """poppler's pdfsig, an independent reader (the one Okular and Evince use): valid signature, and a copy with one
    changed byte reported as not matching."""
    signed = signing.sign_pdf(small_pdf(), reason="Test", location="Lyon")
    original = tmp_path / "signed.pdf"
    original.write_bytes(signed)
    output = subprocess.run(["pdfsig", str(original)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in output and "Parcours AM" in output
    assert "Signature Type: ETSI.CAdES.detached" in output
    assert "The signature form field is not signed." not in output
    altered = bytearray(signed)
    position = altered.index(b"/MediaBox") + len(b"/MediaBox [ 0 0 ")
    altered[position] = ord("9") if altered[position] != ord("9") else ord("8")
    copy = tmp_path / "altered.pdf"
    copy.write_bytes(bytes(altered))
    output = subprocess.run(["pdfsig", str(copy)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in output and "Digest Mismatch" in output


# --- Where the key comes from ---------------------------------------------------------------------------------

def test_the_development_key_is_generated_once_and_read_back(tmp_path):
    path = tmp_path / "var" / "dev.pem"
    first = signing.development_pem(path)
    assert b"PRIVATE KEY" in first and b"CERTIFICATE" in first
    assert signing.development_pem(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_when_two_processes_generate_the_first_file_wins(tmp_path, monkeypatch):
    """Another process publishes its pair while this one generates: both then sign with the published one."""
    path = tmp_path / "dev.pem"
    theirs = signing.generate_self_signed_pem()
    ours = signing.generate_self_signed_pem()

    def generate_while_another_publishes():
        path.write_bytes(theirs)
        return ours

    monkeypatch.setattr(signing, "generate_self_signed_pem", generate_while_another_publishes)
    assert signing.development_pem(path) == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["dev.pem"]  # no temporary file left behind


def test_a_configured_key_signs_from_files_or_inline_pem(settings, tmp_path):
    """Production: PDF_SIGNING_KEY / PDF_SIGNING_CERT as paths, or the PEM text itself; the dev pair is not used."""
    pem = signing.generate_self_signed_pem(common_name="Organisme Démo — signature des attestations")
    key, cert = pem.split(b"-----BEGIN CERTIFICATE-----")
    (tmp_path / "key.pem").write_bytes(key)
    (tmp_path / "cert.pem").write_bytes(b"-----BEGIN CERTIFICATE-----" + cert)
    settings.PDF_SIGNING_GENERATE = False
    settings.PDF_SIGNING_DEV_FILE = tmp_path / "never.pem"
    for key_setting, cert_setting in ((str(tmp_path / "key.pem"), str(tmp_path / "cert.pem")),
                                      (key.decode(), "-----BEGIN CERTIFICATE-----" + cert.decode())):
        settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = key_setting, cert_setting
        signed = signing.sign_pdf(small_pdf(), reason="Test", location="")
        signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
        trusted = ValidationContext(trust_roots=[load_cert_from_pemder(str(tmp_path / "cert.pem"))])
        status = validate_pdf_signature(signature, trusted)
        assert status.bottom_line and "Organisme Démo" in status.signing_cert.subject.human_friendly
    assert not (tmp_path / "never.pem").exists()
    assert [m for m in run_checks(include_deployment_checks=True) if m.id == "certificates.E001"] == []


def test_production_without_a_key_fails_the_deploy_check_and_refuses_to_sign(settings, tmp_path):
    settings.PDF_SIGNING_GENERATE = False
    settings.PDF_SIGNING_KEY = settings.PDF_SIGNING_CERT = ""
    errors = [m for m in run_checks(include_deployment_checks=True) if m.id == "certificates.E001"]
    assert len(errors) == 1 and "PDF_SIGNING_KEY" in errors[0].msg
    with pytest.raises(ImproperlyConfigured):
        signing.sign_pdf(small_pdf(), reason="Test", location="")
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = str(tmp_path / "missing.pem"), str(tmp_path / "missing.pem")
    errors = [m for m in run_checks(include_deployment_checks=True) if m.id == "certificates.E001"]
    assert len(errors) == 1 and "cannot be read" in errors[0].msg


def test_development_needs_no_configuration(settings):
    """Outside production the generated pair is used and the deploy check stays quiet."""
    settings.PDF_SIGNING_GENERATE = True
    settings.PDF_SIGNING_KEY = settings.PDF_SIGNING_CERT = ""
    assert [m for m in run_checks(include_deployment_checks=True) if m.id == "certificates.E001"] == []


def test_the_command_prints_the_signing_certificate():
    """What a developer imports into a reader to see the development signatures as trusted."""
    out = io.StringIO()
    call_command("pdf_signing_certificate", stdout=out)
    assert out.getvalue().startswith("-----BEGIN CERTIFICATE-----")
    assert out.getvalue().encode() == signing.signing_certificate_pem()
    assert "PRIVATE KEY" not in out.getvalue()
