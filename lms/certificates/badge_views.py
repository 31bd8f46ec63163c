"""Open Badges 3.0: the public key, the issuers' profiles and status lists (public by design, for any verifier), and
the credentials (the trainee's own, or anyone holding the certificate's unguessable code)."""
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from lms.certificates import badge_keys, badges
from lms.certificates.codes import normalise
from lms.certificates.models import Certificate
from lms.certificates.views import _rate_limited, _trainee_or_issuer
from lms.organisations.models import TrainingBody

PUBLIC_MAX_AGE = 300  # seconds a verifier may keep a status list or profile


def _json(data, *, content_type="application/json", max_age=PUBLIC_MAX_AGE):
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers read these from their own pages
    return response


def _token(token, filename, *, attachment=True, max_age=None):
    response = HttpResponse(token, content_type=badges.MEDIA_TYPE)
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={max_age}" if max_age else "private, no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def jwks(request):
    """The platform's public signing key, as a JWK Set (the `kid` of every credential points here)."""
    return _json(badge_keys.public_jwks(badges.jwks_url(request)), content_type="application/jwk-set+json")


@require_GET
def issuer_profile(request, pk):
    """A training body's issuer Profile: the `issuer.id` of its credentials."""
    body = get_object_or_404(TrainingBody, pk=pk)
    return _json(badges.issuer_profile(body, request))


@require_GET
def status_list(request, pk):
    """A training body's revocation list, a signed BitstringStatusListCredential (cached, refreshed on revocation)."""
    body = get_object_or_404(TrainingBody, pk=pk)
    return _token(badges.status_list_jwt(body, request), f"statut-{body.pk}.jwt", attachment=False, max_age=60)


def _certificate_by_code(code):
    normalised = normalise(code)
    certificate = (Certificate.objects.filter(code=normalised).select_related("enrolment__trainee").first()
                   if normalised else None)
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def public_credential(request, code):
    """The credential of the certificate with this code, linked from its public verification page. It says no more
    than that page: the trainee's email address only as a salted hash."""
    limited = _rate_limited(request)
    if limited:
        return limited
    certificate = _certificate_by_code(code)
    return _token(badges.credential_jwt(certificate, request), f"badge-{certificate.code}.jwt")


def _own_certificate(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("enrolment__trainee"), pk=pk)
    if not _trainee_or_issuer(request.user, certificate):
        raise Http404
    return certificate


@login_required
@require_GET
def credential_download(request, pk):
    """The trainee's Open Badges credential (VC-JWT), to import into a wallet; also for the body's staff."""
    certificate = _own_certificate(request, pk)
    return _token(badges.credential_jwt(certificate, request), f"badge-{certificate.code}.jwt")


@login_required
@require_GET
def credential_json(request, pk):
    """The same credential, decoded, for reading (unsigned: the .jwt is the one a verifier checks)."""
    certificate = _own_certificate(request, pk)
    if certificate.status_list_index is None:
        badges.status_bit_assign(certificate)
    response = HttpResponse(json.dumps(badges.credential(certificate, request), ensure_ascii=False, indent=2),
                            content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response
