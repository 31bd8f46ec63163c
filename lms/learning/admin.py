"""Enrolments, cohorts and certification results, for the platform's administrators: read-only.

Enrolments are the evidence of a training (dates, status, completion) that funders and auditors check; results are
the qualification itself. The training bodies change them through the platform's pages (withdrawal, completion,
lms.learning.staff_views.qualification_result), where each change leaves its trace.
"""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lms.core.admin_site import ReadOnlyAdmin
from lms.learning.models import Cohort, Enrolment, QualificationResult


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["trainee", "track", "training_body", "cohort", "starts_on", "status", "completed_at"]
    list_filter = ["status", "training_body"]
    search_fields = ["trainee__email", "trainee__last_name", "track__title"]
    list_select_related = ["trainee", "track", "training_body", "cohort"]
    date_hierarchy = "starts_on"


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ["name", "track", "training_body", "starts_on", "ends_on", "place"]
    list_filter = ["training_body"]
    search_fields = ["name", "track__title"]
    list_select_related = ["track", "training_body"]


@admin.register(QualificationResult)
class QualificationResultAdmin(ReadOnlyAdmin):
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
