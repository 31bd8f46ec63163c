"""Certificates (attestations de fin de formation): one current certificate per enrolment, frozen PDF, audit log."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class Certificate(models.Model):
    """An attestation issued for an enrolment; its facts and PDF are frozen at issue."""

    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text=_("Empty when issued automatically on completion."))
    issue_reason = models.TextField(_("reason for a manual issue"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes")
    # Frozen facts
    trainee_name = models.CharField(max_length=300)
    track_title = models.CharField(max_length=300)
    training_body_name = models.CharField(max_length=200)
    training_body_number = models.CharField(max_length=32, blank=True)
    objectives = models.JSONField(default=list)
    nominal_hours = models.DecimalField(max_digits=6, decimal_places=1)
    # The realised duration on the day of issue (lms.learning.realised); None for certificates issued before it was kept.
    realised_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    final_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    final_pass_mark = models.PositiveSmallIntegerField(null=True, blank=True)
    place_of_issue = models.CharField(max_length=120, blank=True)
    # The body's legal identity on the day of issue (lms.organisations.identity); empty for older certificates,
    # which print the name and declaration number above.
    issuer_identity = models.JSONField(default=dict, blank=True)
    # What the track led to on the day of issue (catalog.TrackOutcome and, for a certification, its name, RNCP code
    # and certifying body): the attestation says it is not the qualification. Empty for older certificates.
    track_outcome = models.JSONField(default=dict, blank=True)
    # The modules a tutor exempted the trainee from after the positioning test, as issued: [{"title", "hours",
    # "decided_on"}] (shown "dispensé" on the attestation; the nominal hours above are already reduced by theirs).
    exempted_modules = models.JSONField(default=list, blank=True)
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # The certificate's bit in its training body's Open Badges status list (lms.certificates.badges): the list is
    # the body's id, the index drawn at random at issue so that neighbours in the list tell nothing.
    status_list = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status_list_index = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # Exactly one current (valid or revoked) certificate per enrolment; re-issues supersede.
            models.UniqueConstraint(fields=["enrolment"], condition=~Q(status="superseded"),
                                    name="one_current_certificate_per_enrolment"),
            models.UniqueConstraint(fields=["status_list", "status_list_index"], name="one_certificate_per_status_bit"),
        ]

    def __str__(self):
        return f"{self.trainee_name} — {self.track_title} ({self.code})"

    @property
    def is_valid(self):
        return self.status == CertificateStatus.VALID

    @property
    def was_revoked(self):
        """Revoked, even if re-issued since: a revocation stays on the certificate (and its public page) for good."""
        return self.revoked_at is not None


class CertificateAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REISSUED = "reissued", _("Issued to replace a previous certificate")
    SUPERSEDED = "superseded", _("Replaced by a new certificate")
    REVOKED = "revoked", _("Revoked")


class CertificateLog(models.Model):
    """Who did what to a certificate, and why."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=16)  # a CertificateAction
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    @property
    def action_label(self):
        return CertificateAction(self.action).label if self.action in CertificateAction.values else self.action
