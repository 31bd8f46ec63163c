"""The certification results, read-only for platform admins: the training bodies record and revoke them from
their own space (lms.learning.staff_views.qualification_result), where each change leaves its trace."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lms.learning.models import QualificationResult


@admin.register(QualificationResult)
class QualificationResultAdmin(admin.ModelAdmin):
    list_display = ["trainee", "track", "training_body", "obtained_on", "jury_reference", "recorded_at", "in_force",
                    "document_link"]
    list_filter = ["obtained_on", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["enrolment__trainee__last_name", "enrolment__trainee__first_name", "jury_reference"]
    list_select_related = ["enrolment__trainee", "enrolment__track", "enrolment__training_body"]
    date_hierarchy = "obtained_on"
    fields = ["trainee", "track", "training_body", "obtained_on", "jury_reference", "document_link", "recorded_by",
              "recorded_at", "revoked_at", "revoked_by", "revocation_reason"]
    readonly_fields = fields

    @admin.display(description=_("trainee"), ordering="enrolment__trainee__last_name")
    def trainee(self, result):
        return result.enrolment.trainee

    @admin.display(description=_("track"))
    def track(self, result):
        return result.enrolment.track.title

    @admin.display(description=_("training body"))
    def training_body(self, result):
        return result.enrolment.training_body.name

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, result):
        return result.revoked_at is None

    @admin.display(description=_("document"))
    def document_link(self, result):
        if not result.document:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("qualification_document", args=[result.pk]),
                           _("Download the document"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
