"""Public verification, downloads for those entitled, and the training body's certificate management."""
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.certificates import services
from lms.certificates.codes import normalise
from lms.certificates.forms import RevocationForm, reason_from
from lms.certificates.models import Certificate, CertificateLog, CertificateStatus
from lms.certificates.realisation import render_realisation
from lms.certificates.rendering import render as render_pdf
from lms.core.dates import legal_date, legal_today
from lms.core.errors import DomainError
from lms.core.forms import SearchForm
from lms.core.pagination import page_of
from lms.core.ratelimit import client_ip, too_many
from lms.learning.models import Enrolment
from lms.organisations.models import StaffRole
from lms.organisations.selectors import is_staff_of, practice_sees, training_bodies_of
from lms.core.exports import csv_bytes

VERIFY_LIMIT, VERIFY_WINDOW = 30, 600  # lookups per IP per 10 minutes


def _rate_limited(request):
    if too_many(f"verify:{client_ip(request)}", limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW):
        return render(request, "certificates/rate_limited.html", status=429)
    return None


def verify_form(request):
    """Type a code read on a certificate."""
    code = request.GET.get("code")
    error = None
    if code is not None:
        normalised = normalise(code)
        if normalised:
            return redirect("certificate_verify", normalised)
        error = _("A verification code has 20 letters and digits, for example 7KQ2M-XH4TP-9WZ3C-RB6NV.")
    return render(request, "certificates/verify_form.html", {"error": error, "code": code or ""})


def verify(request, code):
    """What the QR code opens: only what is needed to trust the certificate. No login."""
    limited = _rate_limited(request)
    if limited:
        return limited
    normalised = normalise(code)
    certificate = Certificate.objects.filter(code=normalised).select_related("superseded_by").first() if normalised else None
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"code": code}, status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate})


def _trainee_or_issuer(user, certificate):
    """The certificate's trainee, its training body's staff, or a platform admin."""
    enrolment = certificate.enrolment
    if user.is_superuser or enrolment.trainee_id == user.pk:
        return True
    return user.training_body_memberships.filter(training_body_id=enrolment.training_body_id).exists()


def _can_download(user, certificate):
    if not user.is_authenticated:
        return False
    if _trainee_or_issuer(user, certificate):
        return True
    # A practice: only a certificate issued while it employed the assistant (a former employer sees no later one).
    return practice_sees(user, certificate.enrolment.trainee_id, legal_date(certificate.issued_at))


@login_required
def download(request, pk):
    """The frozen PDF, byte for byte as issued; once revoked, never the original.

    After a revocation the trainee and the training body get a copy stamped 'RÉVOQUÉE le <date>' (for their
    records, or a dispute); a practice gets a 410 page saying since when the certificate is revoked: a revoked
    certificate proves nothing to an employer, and the public verification page tells it as much.
    """
    certificate = get_object_or_404(Certificate.objects.select_related("enrolment", "enrolment__training_body"), pk=pk)
    if not _can_download(request.user, certificate):
        raise Http404
    if certificate.was_revoked:
        if not _trainee_or_issuer(request.user, certificate):
            return render(request, "certificates/revoked_download.html", {"certificate": certificate}, status=410)
        filename, mimetype, data = render_pdf(certificate)
        digest = hashlib.sha256(data).hexdigest()
    else:
        if not certificate.pdf:
            raise Http404
        with certificate.pdf.open("rb") as handle:
            data = handle.read()
        filename, mimetype, digest = f"attestation-{certificate.code}.pdf", "application/pdf", certificate.pdf_sha256
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = digest
    return response


@login_required
@require_GET
def realisation_certificate(request, enrolment_id):
    """The enrolment's certificat de réalisation (PDF, made on demand): for its trainee and its training body's
    staff (and platform admins); a 404 for anyone else, employers included (the body sends it to the funder)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("trainee", "track", "training_body"),
                                  pk=enrolment_id)
    user = request.user
    if not (user.is_superuser or enrolment.trainee_id == user.pk
            or is_staff_of(user, enrolment.training_body_id)):
        raise Http404
    filename, mimetype, data = render_realisation(enrolment, legal_today())
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _staff_certificates(user):
    bodies = training_bodies_of(user)
    if not bodies.exists():
        raise PermissionDenied
    return Certificate.objects.filter(enrolment__training_body__in=bodies).select_related("enrolment")


def _is_manager(user, training_body_id):
    return is_staff_of(user, training_body_id, roles=[StaffRole.MANAGER])


@login_required
def certificate_list(request):
    """Training body: its certificates, filterable, exportable as CSV."""
    certificates = _staff_certificates(request.user)
    search = SearchForm(request.GET, max_length=200, label=_("Name, track or code"))
    status, query = request.GET.get("statut", ""), search.query
    if status in CertificateStatus.values:
        certificates = certificates.filter(status=status)
    if query:
        certificates = certificates.filter(Q(trainee_name__icontains=query) | Q(code__icontains=query) |
                                           Q(track_title__icontains=query))
    if request.GET.get("format") == "csv":
        if search.errors:  # not the whole list under a filter the person believes applied
            raise BadRequest("refused search")
        header = [_("Code"), _("Trainee"), _("Track"), _("Start"), _("End"), _("Hours"), _("Final score (%)"),
                  _("Issued at"), _("Status"), _("Revoked at"), _("Reason")]
        rows = [[c.code, c.trainee_name, c.track_title, c.starts_on.strftime("%d/%m/%Y"), c.ends_on.strftime("%d/%m/%Y"),
                 c.nominal_hours, c.final_score if c.final_score is not None else "",
                 f"{legal_date(c.issued_at):%d/%m/%Y}", c.get_status_display(),
                 f"{legal_date(c.revoked_at):%d/%m/%Y}" if c.revoked_at else "", c.revocation_reason]
                for c in certificates]
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="attestations-{legal_today():%Y-%m-%d}.csv"'
        return response
    context = page_of(certificates.order_by("-issued_at", "-pk"), request)  # the filters are kept in the page links
    context.update(certificates=context["page"].object_list, status=status, query=query, search=search,
                   statuses=CertificateStatus.choices)
    return render(request, "certificates/staff/list.html", context, status=400 if search.errors else 200)


@login_required
def certificate_detail(request, pk):
    """Training body: a certificate and the history of its enrolment's certificates (issued, revoked, replaced)."""
    certificate = get_object_or_404(_staff_certificates(request.user).select_related("superseded_by", "supersedes"),
                                    pk=pk)
    history = (CertificateLog.objects.filter(certificate__enrolment_id=certificate.enrolment_id)
               .select_related("certificate__superseded_by", "actor").order_by("at", "pk"))
    return render(request, "certificates/staff/detail.html", {
        "certificate": certificate, "history": history,
        "is_manager": _is_manager(request.user, certificate.enrolment.training_body_id)})


def _managed_certificate(request, pk):
    certificate = get_object_or_404(_staff_certificates(request.user), pk=pk)
    if not _is_manager(request.user, certificate.enrolment.training_body_id):
        raise PermissionDenied
    return certificate


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_revoke(request, pk):
    """A manager revokes a certificate: GET asks for confirmation and the reason, POST revokes (a second POST
    changes nothing)."""
    certificate = _managed_certificate(request, pk)
    if certificate.status == CertificateStatus.REVOKED:
        messages.info(request, _("This certificate has already been revoked."))
        return redirect("certificate_detail", certificate.pk)
    if certificate.status != CertificateStatus.VALID:
        messages.error(request, _("Only a valid certificate can be revoked."))
        return redirect("certificate_detail", certificate.pk)
    form = RevocationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.certificate_revoke(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect("certificate_detail", certificate.pk)
    return render(request, "certificates/staff/revoke.html", {"certificate": certificate, "form": form})


@login_required
@require_POST
def certificate_reissue(request, pk):
    certificate = _managed_certificate(request, pk)
    try:
        new = services.certificate_reissue(certificate=certificate, by=request.user, reason=reason_from(request.POST))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("certificate_detail", certificate.pk)
    messages.success(request, _("A new certificate has replaced the previous one."))
    return redirect("certificate_detail", new.pk)


@login_required
@require_POST
def certificate_issue(request, enrolment_id):
    """A manager issues a certificate by hand (with a reason) for one of the body's enrolments."""
    bodies = training_bodies_of(request.user, roles=[StaffRole.MANAGER])
    enrolment = get_object_or_404(Enrolment.objects.filter(training_body__in=bodies), pk=enrolment_id)
    try:
        certificate = services.certificate_issue(enrolment=enrolment, issued_by=request.user,
                                                 reason=reason_from(request.POST))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("learner_detail", enrolment.pk)
    messages.success(request, _("The certificate has been issued."))
    return redirect("certificate_detail", certificate.pk)
