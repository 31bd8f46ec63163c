"""PAdES signatures on the PDFs the platform issues (issue 18, point 3).

The attestation de fin de formation, the certificat de réalisation, the relevés (a trainee's record, a session's
summary), the sign-in sheets of the séances, the attestation d'entrée and the employer's CPAM dossier leave the
platform signed (in core: every app that draws a document signs it, whatever its layer): `sign_pdf(pdf_bytes, reason=..., location=...)` adds an invisible signature
field named "Parcours AM" holding a PAdES B-B signature (ETSI EN 319 142-1; CMS with the signing-certificate-v2
attribute, SHA-256; no timestamp, the platform calls no TSA). Any PDF reader then says whether the bytes were
altered since: Adobe Acrobat, Okular or poppler's `pdfsig` show the signer, the signing time and "document not
modified", and a changed copy as "modified" or "signature invalid".

Where the key comes from:
- Production (`PDF_SIGNING_GENERATE = False`): PDF_SIGNING_KEY and PDF_SIGNING_CERT, each a path to a PEM/DER file
  or the PEM text itself (environment variables of the same names); PDF_SIGNING_KEY_PASSPHRASE if the key is
  encrypted; the certificate file may carry the issuing chain after the signer's certificate. A certificate from a CA
  that readers trust (Adobe's AATL, the EU trusted lists) makes readers show the signature as trusted; any other is
  shown "valid, identity unknown". `manage.py check --deploy` fails while they are missing or unreadable (certificates.E001).
- Development and tests (`PDF_SIGNING_GENERATE = True`, the default outside production): a self-signed EC P-256
  certificate is generated once into PDF_SIGNING_DEV_FILE (one PEM file, key then certificate, under BASE_DIR/var)
  and read back by every process afterwards. It is published with os.link, so when two processes race, the first
  file wins and both sign with it; nodes that share nothing must be given a configured key, as in production.
"""
import asyncio
import datetime
import io
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

FIELD_NAME = "Parcours AM"
DEV_SUBJECT = "Parcours AM — certificat de développement (non qualifié)"
DEV_VALIDITY = datetime.timedelta(days=3650)


def sign_pdf(pdf_bytes, *, reason, location=""):
    """Return the PDF with a PAdES B-B signature appended as an incremental update (the original bytes untouched)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _sign(pdf_bytes, reason, location)
    # pyHanko's sign_pdf runs its own event loop, which cannot start inside a running one (an async caller).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign, pdf_bytes, reason, location).result()


def _sign(pdf_bytes, reason, location):
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location or None,
                                        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    signer = current_signer()
    return signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=_room_for(signer)).getvalue()


def _room_for(signer):
    """Room for the CMS container: its certificates plus a margin for the signature and its attributes. Without it
    pyHanko signs twice, once to measure (half the cost of each PDF)."""
    return 4096 + sum(len(cert.dump()) for cert in [signer.signing_cert, *signer.cert_registry])


def current_signer():
    """The signer of the configured key, or of the generated development one."""
    key, cert = settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT
    if key and cert:
        return _signer(_read(key), _read(cert), settings.PDF_SIGNING_KEY_PASSPHRASE or None)
    if not settings.PDF_SIGNING_GENERATE:
        raise ImproperlyConfigured("PDF_SIGNING_KEY and PDF_SIGNING_CERT must be set to sign PDFs.")
    pem = development_pem(Path(settings.PDF_SIGNING_DEV_FILE))
    return _signer(pem, pem, None)


def signing_certificate_pem():
    """The PEM of the signing certificate (what a test or an auditor trusts to validate the signatures)."""
    der = current_signer().signing_cert.dump()
    return crypto_x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def configuration_problem():
    """Why the configured key cannot sign (None when it can): read by the deployment check."""
    key, cert = settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT
    if not (key and cert):
        if settings.PDF_SIGNING_GENERATE:
            return None
        return "PDF_SIGNING_KEY and PDF_SIGNING_CERT are not set: attestations cannot be signed."
    try:
        _signer(_read(key), _read(cert), settings.PDF_SIGNING_KEY_PASSPHRASE or None)
    except (OSError, ValueError, TypeError) as error:
        return f"The PDF signing key or certificate cannot be read: {error}"
    return None


def _read(value):
    """A PEM given inline, else a path to a PEM or DER file."""
    if value.lstrip().startswith("-----BEGIN"):
        return value.encode()
    return Path(value).read_bytes()


@lru_cache(maxsize=4)
def _signer(key_data, cert_data, passphrase):
    """Parsed once per process for given bytes: a cache of configuration, the same on every node."""
    signing_key = load_private_key_from_pemder_data(key_data, passphrase.encode() if passphrase else None)
    certs = list(load_certs_from_pemder_data(cert_data))
    if not certs:
        raise ValueError("no certificate found")
    return signers.SimpleSigner(signing_cert=certs[0], signing_key=signing_key,
                                cert_registry=SimpleCertificateStore.from_certs(certs))


def development_pem(path):
    """The development key and certificate (one PEM file), generated the first time and read ever after."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pdf-signing-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(generate_self_signed_pem())
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)  # fails if another process published its file first: that one wins
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
    return path.read_bytes()


def generate_self_signed_pem(common_name=DEV_SUBJECT, now=None):
    """A fresh EC P-256 key and a self-signed certificate for document signing, as one PEM (key first)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = crypto_x509.Name([crypto_x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                             crypto_x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Parcours AM"),
                             crypto_x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")])
    cert = (crypto_x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(crypto_x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + DEV_VALIDITY)
            .add_extension(crypto_x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(crypto_x509.KeyUsage(digital_signature=True, content_commitment=True,
                                                key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                key_cert_sign=False, crl_sign=False, encipher_only=False,
                                                decipher_only=False), critical=True)
            .add_extension(crypto_x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem + cert.public_bytes(serialization.Encoding.PEM)
