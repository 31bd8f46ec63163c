"""Each certificate as an Open Badges 3.0 credential, signed by the platform, revocable through a status list.

Specifications followed: 1EdTech Open Badges 3.0 (context 3.0.3) on the W3C Verifiable Credentials Data Model 2.0;
the proof is a VC-JWT (OB 3.0, section 8.2: the credential is the JWT's payload, with iss, jti and nbf) signed RS256
by the key of lms.certificates.badge_keys; revocation is W3C Bitstring Status List v1.0 (one list per training
body, a random bit per certificate, the list itself a signed VC-JWT). No JSON-LD document is fetched: nothing here
needs the network.
"""
import base64
import gzip
import hashlib
import secrets
import uuid
from datetime import timezone as dt_timezone

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override
from joserfc import jwt

from lms.certificates import badge_keys
from lms.catalog.models import hours_text
from lms.certificates.models import Certificate, CertificateStatus
from lms.core.site import absolute_url
from lms.xapi.statements import track_activity

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
STATUS_LIST_SIZE = 131_072  # bits, the specification's minimum (16 KB), so that a list hides who is revoked
STATUS_LIST_TTL = 24 * 3600  # seconds a signed list stays cached when nothing changes
MEDIA_TYPE = "application/jwt"


def _url(name, *args, request=None):
    return absolute_url(reverse(name, args=args), request)


def jwks_url(request=None):
    return _url("open_badges_jwks", request=request)


def profile_url(body_id, request=None):
    return _url("open_badges_issuer", body_id, request=request)


def status_list_url(list_id, request=None):
    return _url("open_badges_status_list", list_id, request=request)


def credential_url(certificate, request=None):
    return _url("open_badges_public", certificate.code, request=request)


def _datetime(value):
    return value.astimezone(dt_timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def issuer_profile(body, request=None):
    """The training body as an OB 3.0 Profile: its legal name and its French registrations."""
    profile = {"@context": CONTEXTS, "id": profile_url(body.pk, request), "type": ["Profile"],
               "name": (body.legal_name or body.name).strip()}
    identifiers = [(body.siret, "ext:SIRET"), (body.registration_number, "ext:NumeroDeclarationActivite")]
    entries = [{"type": "IdentifierEntry", "identifier": value.strip(), "identifierType": kind}
               for value, kind in identifiers if (value or "").strip()]
    if entries:
        profile["otherIdentifier"] = entries
    if body.city:
        profile["address"] = {"type": ["Address"], "addressLocality": body.city, "addressCountry": "FR"}
    return profile


def _issuer(certificate, request=None):
    """The issuer as on the day of issue (the certificate's frozen identity), at the body's stable address."""
    identity = certificate.issuer_identity or {}
    name = identity.get("legal_name") or identity.get("name") or certificate.training_body_name
    return {"id": profile_url(certificate.enrolment.training_body_id, request), "type": ["Profile"], "name": name}


def identity_hash(email, salt):
    """OB 3.0 IdentityObject hash: 'sha256$' and the hex SHA-256 of the address (lower case) followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _salt(certificate):
    """Per certificate and stable (the same credential at every download), unguessable without SECRET_KEY."""
    return salted_hmac("open-badges-identity", certificate.code).hexdigest()[:16]


def _criteria(certificate):
    """How the badge was earned, in French: the track completed, the final assessment passed, its objectives."""
    lines = [_("Complete every module of the track “%(track)s” and pass its final assessment.")
             % {"track": certificate.track_title}]
    if certificate.final_pass_mark is not None:
        lines.append(_("Pass mark of the final assessment: %(mark)s %%.") % {"mark": certificate.final_pass_mark})
    if certificate.objectives:
        lines.append(_("Objectives:"))
        lines += [f"- {objective}" for objective in certificate.objectives]
    return "\n".join(lines)


def _description(certificate):
    return (_("Certificate of completion of the training “%(track)s” (%(hours)s hours), issued by %(body)s.")
            % {"track": certificate.track_title, "hours": hours_text(certificate.nominal_hours),
               "body": certificate.training_body_name})


def credential(certificate, request=None):
    """The OpenBadgeCredential of a certificate, from its frozen facts (in French, the language of the attestation)."""
    email = certificate.enrolment.trainee.email
    salt = _salt(certificate)
    track = track_activity(certificate.enrolment.track_id, certificate.track_title)
    with override("fr"):
        description, criteria = _description(certificate), _criteria(certificate)
    return {
        "@context": CONTEXTS,
        "id": credential_url(certificate, request),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(certificate, request),
        "validFrom": _datetime(certificate.issued_at),
        "name": certificate.track_title,
        "description": description,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": identity_hash(email, salt), "hashed": True,
                            "identityType": "emailAddress", "salt": salt}],
            "achievement": {
                "id": track.iri,
                "type": ["Achievement"],
                "name": certificate.track_title,
                "description": certificate.enrolment.track.summary.strip() or description,
                "criteria": {"narrative": criteria},
                "achievementType": "Certificate",
                "inLanguage": "fr",
                "creator": _issuer(certificate, request),
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url(certificate.status_list, request)}#{certificate.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_list_index),
            "statusListCredential": status_list_url(certificate.status_list, request),
        },
    }


def sign(claims, request=None):
    """A compact JWS (RS256) of `claims`, its header naming the key published in the JWK Set."""
    header = {"alg": badge_keys.ALGORITHM, "typ": "JWT", "kid": badge_keys.key_id(jwks_url(request))}
    return jwt.encode(header, claims, badge_keys.signing_key(), algorithms=[badge_keys.ALGORITHM])


def _jwt_claims(vc, valid_from):
    """OB 3.0 section 8.2.4: the credential's members, plus iss (issuer id), jti (credential id) and nbf."""
    return {**vc, "iss": vc["issuer"]["id"] if isinstance(vc["issuer"], dict) else vc["issuer"],
            "jti": vc["id"], "nbf": int(valid_from.timestamp())}


def credential_jwt(certificate, request=None):
    """The signed credential, as a wallet imports it."""
    if certificate.status_list_index is None:
        status_bit_assign(certificate)
    return sign(_jwt_claims(credential(certificate, request), certificate.issued_at), request)


# Status lists

@transaction.atomic
def status_bit_assign(certificate):
    """Draw a free bit at random in the certificate's training body's list; the unique constraint settles races."""
    body_id = Certificate.objects.filter(pk=certificate.pk).values_list("enrolment__training_body_id", flat=True).get()
    for _attempt in range(64):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        try:
            with transaction.atomic():
                updated = (Certificate.objects.filter(pk=certificate.pk, status_list_index__isnull=True)
                           .update(status_list=body_id, status_list_index=index))
        except IntegrityError:
            continue
        if not updated:  # another request gave it one first
            certificate.refresh_from_db(fields=["status_list", "status_list_index"])
        else:
            certificate.status_list, certificate.status_list_index = body_id, index
        return certificate
    raise RuntimeError(f"No free bit found in the status list of training body {body_id}.")


def revoked_bits(list_id):
    """Indices set in a list: certificates revoked or replaced (a replaced credential no longer stands)."""
    return list(Certificate.objects.filter(status_list=list_id, status_list_index__isnull=False)
                .exclude(status=CertificateStatus.VALID).values_list("status_list_index", flat=True))


def encode_bits(indices, size=STATUS_LIST_SIZE):
    """Bitstring Status List v1.0: index 0 is the left-most bit of the first byte; GZIP, then multibase base64url
    without padding ('u' prefix)."""
    bits = bytearray(size // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def status_list_credential(body, request=None, now=None):
    """The BitstringStatusListCredential of a training body, issued by the body (signed by the platform)."""
    url = status_list_url(body.pk, request)
    now = now or timezone.now()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": profile_url(body.pk, request), "type": ["Profile"], "name": (body.legal_name or body.name).strip()},
        "validFrom": _datetime(now),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encode_bits(revoked_bits(body.pk))},
    }


def _version_key(list_id):
    return f"open-badges:status-version:{list_id}"


def status_list_jwt(body, request=None):
    """The signed list, cached until a certificate of the body is revoked or replaced (status_list_changed)."""
    version = cache.get(_version_key(body.pk))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(body.pk), version, None)
        version = cache.get(_version_key(body.pk), version)
    key = f"open-badges:status-list:{body.pk}:{version}:{badge_keys.key_id(jwks_url(request))}"
    token = cache.get(key)
    if token is None:
        vc = status_list_credential(body, request)
        token = sign(_jwt_claims(vc, timezone.now()), request)
        cache.set(key, token, STATUS_LIST_TTL)
    return token


def status_list_changed(list_id):
    """After the transaction that revoked or replaced a certificate commits, the next read signs a fresh list."""
    if list_id is not None:
        transaction.on_commit(lambda: cache.set(_version_key(list_id), uuid.uuid4().hex, None))
