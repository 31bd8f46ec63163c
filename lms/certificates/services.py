"""Issuing (exactly once per enrolment), re-issuing and revoking certificates; each action logged."""
import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.catalog.models import TrackPage
from lms.certificates.badges import status_bit_assign, status_list_changed
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificateAction, CertificateLog, CertificateStatus
from lms.certificates.rendering import render
from lms.core.dates import legal_date
from lms.core.errors import DomainError
from lms.learning import traces
from lms.learning.realised import realised_duration
from lms.learning.selectors import exemptions_confirmed, track_structure
from lms.organisations.identity import legal_identity
from lms.quizzes.models import Attempt


def current_certificate(enrolment):
    return Certificate.objects.exclude(status=CertificateStatus.SUPERSEDED).filter(enrolment=enrolment).first()


def _final_result(enrolment):
    """Best score at the track's final assessment, if it has one."""
    structure = track_structure(enrolment.track_id)
    if structure is None or structure.final_assessment is None:
        return None, None
    best = (Attempt.objects.filter(enrolment=enrolment, quiz_id=structure.final_assessment.id, status="submitted")
            .select_related("quiz").order_by("-percent").first())
    return (best.percent, best.quiz.pass_mark) if best else (None, None)


def exemptions_as_issued(enrolment):
    """The enrolment's confirmed module exemptions as the certificate keeps them (title, hours, date decided)."""
    return [{"title": e.module.title, "hours": str(e.module.nominal_hours),
             "decided_on": legal_date(e.decided_at).isoformat()} for e in exemptions_confirmed(enrolment.pk)]


def _facts(enrolment, now):
    track = TrackPage.objects.get(pk=enrolment.track_id)
    body = enrolment.training_body
    trainee = enrolment.trainee
    score, mark = _final_result(enrolment)
    realised = realised_duration(enrolment)
    return {
        "trainee_name": trainee.get_full_name() or trainee.email,
        "track_title": track.title, "training_body_name": body.name, "training_body_number": body.registration_number,
        "objectives": track.objectives_list, "nominal_hours": realised.nominal_hours,
        "realised_hours": realised.hours, "exempted_modules": exemptions_as_issued(enrolment), "starts_on": enrolment.starts_on,
        "ends_on": legal_date(enrolment.completed_at or now), "final_score": score, "final_pass_mark": mark,
        "place_of_issue": body.city, "issuer_identity": legal_identity(body),
        "track_outcome": {"outcome": track.outcome, "certification_name": track.certification_name,
                          "rncp_code": track.rncp_code, "certifying_body": track.certifying_body},
    }


def _store_pdf(certificate):
    filename, _mimetype, data = render(certificate)
    certificate.pdf.save(filename, ContentFile(data), save=False)
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf", "pdf_sha256"])


@transaction.atomic
def certificate_issue(*, enrolment, issued_by=None, reason="", now=None):
    """Issue the enrolment's certificate. Automatic issue is idempotent; a manual one needs a reason.

    A database constraint allows one current certificate per enrolment, so concurrent completions
    end with one certificate: the loser of the race gets the winner's.
    """
    now = now or timezone.now()
    existing = current_certificate(enrolment)
    if existing is not None:
        if issued_by is not None:
            raise DomainError(_("This enrolment already has a certificate; re-issue it to correct it."))
        return existing
    if issued_by is not None and not reason.strip():
        raise DomainError(_("Give the reason for issuing this certificate by hand."), field="reason")
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(enrolment=enrolment, code=new_code(), issued_at=now,
                                                     issued_by=issued_by, issue_reason=reason.strip(),
                                                     **_facts(enrolment, now))
    except IntegrityError:
        existing = current_certificate(enrolment)
        if existing is None:
            raise
        return existing
    status_bit_assign(certificate)
    _store_pdf(certificate)
    CertificateLog.objects.create(certificate=certificate, action=CertificateAction.ISSUED, actor=issued_by, reason=reason.strip())
    traces.certificate_earned(certificate)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate, by, reason, now=None):
    """Replace a certificate after a correction: the old one is superseded, never deleted.

    A revoked certificate may be re-issued too; it keeps its revocation (date, author, reason), so its public
    page and its history still say it was revoked.
    """
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("Give the reason for the re-issue."), field="reason")
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status == CertificateStatus.SUPERSEDED:
        raise DomainError(_("This certificate has already been replaced."))
    old.status = CertificateStatus.SUPERSEDED
    old.save(update_fields=["status"])
    new = Certificate.objects.create(enrolment=old.enrolment, code=new_code(), issued_at=now, issued_by=by,
                                     issue_reason=reason.strip(), **_facts(old.enrolment, now))
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    status_bit_assign(new)
    status_list_changed(old.status_list)  # the replaced credential's bit is set
    _store_pdf(new)
    CertificateLog.objects.create(certificate=old, action=CertificateAction.SUPERSEDED, actor=by, reason=reason.strip())
    CertificateLog.objects.create(certificate=new, action=CertificateAction.REISSUED, actor=by, reason=reason.strip())
    return new


@transaction.atomic
def certificate_revoke(*, certificate, by, reason, now=None):
    """Revoke a certificate with a reason; the verification page says so at once.

    Revoking a revoked certificate changes nothing (a form sent twice): the first date and reason stay.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == CertificateStatus.REVOKED:
        return certificate
    if certificate.status != CertificateStatus.VALID:
        raise DomainError(_("Only a valid certificate can be revoked."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the revocation."), field="reason")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    status_list_changed(certificate.status_list)
    CertificateLog.objects.create(certificate=certificate, action=CertificateAction.REVOKED, actor=by,
                                  reason=reason.strip())
    return certificate
