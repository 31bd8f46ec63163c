"""Open Badges 3.0 credentials: shape, RS256 signature checked with PyJWT (the platform signs with joserfc) against
the published JWK Set, tampering and a wrong key refused, revocation in a Bitstring Status List decoded here by hand,
and who may download what."""
import base64
import gzip
import hashlib
import json

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.checks import run_checks
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lms.certificates import badge_keys, badges
from lms.certificates.models import Certificate
from lms.certificates.services import certificate_reissue, certificate_revoke
from tests.certificates.test_certificates import complete
from tests.factories import make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture
def world():
    """A trainee of a practice who completed a track, so holds a certificate; the body's manager; the employer."""
    practice = make_practice()
    trainee = make_trainee(first_name="Inès", last_name="Moreau", email="ines.moreau@example.org", practice=practice)
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1)))
    return {"trainee": trainee, "enrolment": enrolment, "certificate": Certificate.objects.get(enrolment=enrolment),
            "manager": make_staff(training_body=enrolment.training_body, role="manager"),
            "employer": make_employer(practice=practice)}


# An independent verifier: PyJWT and the published documents only.

def published_key(client, token):
    """The key named by the token's kid, fetched from the JWK Set at its published address."""
    kid = pyjwt.get_unverified_header(token)["kid"]
    jwks_url, _, _thumbprint = kid.partition("#")
    assert jwks_url == "http://testserver" + reverse("open_badges_jwks")
    response = client.get(jwks_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/jwk-set+json"
    keys = {key["kid"]: key for key in response.json()["keys"]}
    assert "d" not in keys[kid]  # never the private half
    return pyjwt.PyJWK(keys[kid]).key


def verify(client, token):
    """The credential's claims if its signature holds for the published key (OB 3.0: RS256 at least)."""
    return pyjwt.decode(token, published_key(client, token), algorithms=["RS256"], options={"verify_aud": False})


def status_bit(client, credential):
    """Follow credentialStatus: fetch the list, check its signature, decode its bitstring (W3C Bitstring Status List
    v1.0: multibase 'u' base64url, GZIP, index 0 the left-most bit of the first byte)."""
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    response = client.get(entry["statusListCredential"])
    assert response.status_code == 200 and response["Content-Type"] == "application/jwt"
    status_list = verify(client, response.content.decode())
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["issuer"]["id"] == credential["issuer"]["id"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072  # the specification's minimum size
    index = int(entry["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


def download(client, user, certificate):
    client.force_login(user)
    return client.get(reverse("open_badges_download", args=[certificate.pk]))


def test_the_credential_has_the_open_badges_3_shape(client, world):
    """Contexts, types, issuer Profile, validFrom, achievement with description and criteria, hashed identity,
    status entry; the JWT's registered claims match (OB 3.0 section 8.2.4)."""
    certificate = world["certificate"]
    response = download(client, world["trainee"], certificate)
    assert response.status_code == 200 and response["Content-Type"] == "application/jwt"
    assert f'filename="badge-{certificate.code}.jwt"' in response["Content-Disposition"]
    token = response.content.decode()
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    vc = verify(client, token)
    assert vc["@context"] == [VC_CONTEXT, OB_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"] == "http://testserver" + reverse("open_badges_public", args=[certificate.code]) == vc["jti"]
    body = world["enrolment"].training_body
    assert vc["issuer"]["id"] == "http://testserver" + reverse("open_badges_issuer", args=[body.pk]) == vc["iss"]
    assert vc["issuer"]["type"] == ["Profile"] and vc["issuer"]["name"] == body.name
    assert vc["validFrom"].endswith("Z") and vc["nbf"] == int(certificate.issued_at.timestamp())
    assert vc["name"] == certificate.track_title
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    [identity] = subject["identifier"]
    assert identity["type"] == "IdentityObject" and identity["identityType"] == "emailAddress" and identity["hashed"]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        ("ines.moreau@example.org" + identity["salt"]).encode()).hexdigest()
    assert "ines.moreau" not in token and "Moreau" not in json.dumps(vc)  # no personal data in clear
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["achievementType"] == "Certificate"
    assert achievement["id"].startswith("http://testserver/") and achievement["name"] == certificate.track_title
    assert achievement["inLanguage"] == "fr"
    assert f"« {certificate.track_title} »" in achievement["description"] or certificate.track_title in achievement["description"]
    assert "Attestation de fin de formation" in achievement["description"]
    narrative = achievement["criteria"]["narrative"]
    assert "évaluation finale" in narrative and "- Mesurer la pression artérielle" in narrative
    assert int(vc["credentialStatus"]["statusListIndex"]) == certificate.status_list_index


def test_the_same_credential_at_every_download_and_from_the_public_code(client, world):
    """Stable content: the trainee's copy and the one linked from the public verification page are the same."""
    certificate = world["certificate"]
    first = download(client, world["trainee"], certificate).content
    client.logout()
    public = client.get(reverse("open_badges_public", args=[certificate.code]))
    assert public.status_code == 200 and verify(client, public.content.decode()) == verify(client, first.decode())
    page = client.get(reverse("certificate_verify", args=[certificate.code]))
    assert reverse("open_badges_public", args=[certificate.code]) in page.content.decode()


def test_a_tampered_credential_fails(client, world):
    """Changing one claim (the track's name) breaks the signature; so does a re-signed header."""
    token = download(client, world["trainee"], world["certificate"]).content.decode()
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Diplôme d'État d'infirmier"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify(client, f"{header}.{forged}.{signature}")
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify(client, f"{header}.{payload}.{signature[:-4]}AAAA")


def test_a_credential_signed_by_another_key_fails(client, world):
    """A forger's own key, with the platform's kid in the header, does not verify against the published key."""
    genuine = verify(client, download(client, world["trainee"], world["certificate"]).content.decode())
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = pyjwt.get_unverified_header(download(client, world["trainee"], world["certificate"]).content.decode())["kid"]
    forged = pyjwt.encode(genuine, forger, algorithm="RS256", headers={"kid": kid})
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify(client, forged)


def test_status_bit_is_clear_then_set_right_after_revocation(client, world, django_capture_on_commit_callbacks):
    """A valid certificate's bit is 0; once its revocation commits, the (cached) list says 1 — while the credential
    still downloads."""
    certificate = world["certificate"]
    vc = verify(client, download(client, world["trainee"], certificate).content.decode())
    assert status_bit(client, vc) == 0
    assert status_bit(client, vc) == 0  # served from the cache now
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, by=world["manager"], reason="Fraude constatée")
    response = download(client, world["trainee"], certificate)
    assert response.status_code == 200
    assert status_bit(client, verify(client, response.content.decode())) == 1


def test_a_replaced_certificate_is_revoked_in_the_list_and_its_successor_is_not(client, world,
                                                                               django_capture_on_commit_callbacks):
    old = world["certificate"]
    old_vc = verify(client, download(client, world["trainee"], old).content.decode())
    assert status_bit(client, old_vc) == 0
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=old, by=world["manager"], reason="Nom corrigé")
    assert (new.status_list, new.status_list_index) != (None, None)
    assert new.status_list_index != old.status_list_index and new.status_list == old.status_list
    assert status_bit(client, old_vc) == 1
    assert status_bit(client, verify(client, download(client, world["trainee"], new).content.decode())) == 0


def test_only_the_right_bits_are_set_among_several_certificates(client, world, django_capture_on_commit_callbacks):
    """Two certificates of the same body: revoking one leaves the other's bit clear."""
    other = complete(make_enrolment(trainee=make_trainee(email="autre@example.org"),
                                    track=world["enrolment"].track))
    other_certificate = Certificate.objects.get(enrolment=other)
    assert other_certificate.status_list == world["certificate"].status_list
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=other_certificate, by=world["manager"], reason="Erreur")
    client.force_login(world["manager"])
    mine = verify(client, download(client, world["trainee"], world["certificate"]).content.decode())
    theirs = verify(client, download(client, world["manager"], other_certificate).content.decode())
    assert status_bit(client, mine) == 0 and status_bit(client, theirs) == 1


def test_encoding_puts_index_zero_in_the_left_most_bit():
    encoded = badges.encode_bits([0, 9, 131_071])
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in bits) == 3


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(min_value=0, max_value=131_071), max_size=50))
def test_any_set_of_bits_decodes_to_itself(indices):
    """Decoding by the specification's rule gives back exactly the indices encoded."""
    encoded = badges.encode_bits(indices)
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == 16_384 and "=" not in encoded
    assert {i for i in range(len(bits) * 8) if bits[i // 8] >> (7 - i % 8) & 1} == indices


def test_the_status_list_is_served_from_the_cache_until_a_revocation(client, world, django_capture_on_commit_callbacks):
    """Twice the same signed list (the cache) while nothing changes; a new one once a revocation commits, and not
    before."""
    url = reverse("open_badges_status_list", args=[world["enrolment"].training_body_id])
    first = client.get(url).content
    assert client.get(url).content == first
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate_revoke(certificate=world["certificate"], by=world["manager"], reason="Erreur")
    assert client.get(url).content == first  # not committed yet
    for callback in callbacks:
        callback()
    assert client.get(url).content != first


def test_unknown_or_oversized_ids_are_404s(client):
    for name in ("open_badges_issuer", "open_badges_status_list"):
        assert client.get(reverse(name, args=[10**17])).status_code == 404
        assert client.get(reverse(name, args=[1]).replace("/1.", f"/{10**30}.")).status_code == 404


def test_issuer_profile_and_key_are_public(client, world):
    body = world["enrolment"].training_body
    response = client.get(reverse("open_badges_issuer", args=[body.pk]))
    assert response.status_code == 200
    profile = response.json()
    assert profile["type"] == ["Profile"] and profile["name"] == body.name
    assert profile["id"] == "http://testserver" + reverse("open_badges_issuer", args=[body.pk])
    assert client.get(reverse("open_badges_issuer", args=[body.pk + 1000])).status_code == 404
    keys = client.get(reverse("open_badges_jwks")).json()["keys"]
    assert [key["kty"] for key in keys] == ["RSA"] and all("d" not in key for key in keys)


def test_a_trainee_downloads_only_their_own_badge(client, world):
    """Someone else's badge is a 404, to another trainee and to the employer; the body's staff may download it."""
    certificate = world["certificate"]
    for user in (make_trainee(email="curieux@example.org"), world["employer"],
                 make_staff(training_body=make_track().training_body, role="manager")):
        assert download(client, user, certificate).status_code == 404
        assert client.get(reverse("open_badges_json", args=[certificate.pk])).status_code == 404
    assert download(client, world["manager"], certificate).status_code == 200
    client.logout()
    response = client.get(reverse("open_badges_download", args=[certificate.pk]))
    assert response.status_code == 302
    assert client.get(reverse("open_badges_public", args=["AAAAA-AAAAA-AAAAA-AAAAA"])).status_code == 404


def test_decoded_view_is_the_signed_credential(client, world):
    certificate = world["certificate"]
    token = download(client, world["trainee"], certificate).content.decode()
    decoded = client.get(reverse("open_badges_json", args=[certificate.pk]))
    assert decoded.status_code == 200
    signed = verify(client, token)
    assert {key: signed[key] for key in decoded.json()} == decoded.json()


def test_the_trainee_page_links_the_badge(client, world):
    client.force_login(world["trainee"])
    page = client.get(reverse("my_track"))
    assert reverse("open_badges_download", args=[world["certificate"].pk]) in page.content.decode()


def test_development_generates_one_key_file_atomically(settings, tmp_path):
    """A missing key file is created once; a second call reads the same key; the private key stays private."""
    path = tmp_path / "var" / "key.pem"
    settings.OPEN_BADGES_SIGNING_KEY, settings.OPEN_BADGES_SIGNING_KEY_FILE = "", str(path)
    first = badge_keys.signing_key().thumbprint()
    assert path.exists() and b"PRIVATE KEY" in path.read_bytes()
    assert badge_keys.signing_key().thumbprint() == first
    assert [p.name for p in path.parent.iterdir()] == ["key.pem"]  # no temporary file left


def test_deploy_check_refuses_a_missing_or_unreadable_key(settings, tmp_path):
    settings.OPEN_BADGES_SIGNING_KEY, settings.OPEN_BADGES_GENERATE_KEY = "", False
    settings.OPEN_BADGES_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    assert "certificates.E002" in [error.id for error in run_checks(include_deployment_checks=True)]
    settings.OPEN_BADGES_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"
    assert "certificates.E002" in [error.id for error in run_checks(include_deployment_checks=True)]
    settings.OPEN_BADGES_SIGNING_KEY = ""
    settings.OPEN_BADGES_GENERATE_KEY = True  # development: the file is made on first use
    assert "certificates.E002" not in [error.id for error in run_checks(include_deployment_checks=True)]


def test_the_achievement_describes_the_track_by_its_summary(client, world):
    """The track's own description (its summary) describes the achievement when it has one."""
    track = world["enrolment"].track
    track.summary = "Former aux missions administratives et d'aide à la consultation."
    track.save(update_fields=["summary"])
    vc = verify(client, download(client, world["trainee"], world["certificate"]).content.decode())
    assert vc["credentialSubject"]["achievement"]["description"] == track.summary
    assert vc["description"].startswith("Attestation de fin de formation")
