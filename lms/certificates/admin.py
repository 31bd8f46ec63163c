"""Certificates (attestations), for the platform's administrators: read-only, with their history.

An attestation is evidence: it is issued, reissued and revoked only through the training body's pages, which log
who did it, when and why (CertificateLog); the admin shows that log ("Délivrée", "Révoquée") and changes nothing.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lms.certificates.models import Certificate, CertificateLog
from lms.core.admin_site import ReadOnlyAdmin


class CertificateLogInline(admin.TabularInline):
    model = CertificateLog
    verbose_name = _("history entry")
    verbose_name_plural = _("history")
    fields = ["at", "action_label", "actor", "reason"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"))
    def action_label(self, entry):
        return entry.action_label


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "trainee_name", "track_title", "training_body_name", "status", "issued_at", "revoked_at"]
    list_filter = ["status", "training_body_name"]
    search_fields = ["code", "trainee_name", "track_title"]
    date_hierarchy = "issued_at"
    fields = ["code", "status", "trainee_name", "track_title", "training_body_name", "starts_on", "ends_on",
              "nominal_hours", "issued_at", "revoked_at", "revocation_reason", "superseded_by"]
    inlines = [CertificateLogInline]
