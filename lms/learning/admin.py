"""Enrolments and cohorts, for the platform's administrators: read-only.

Enrolments are the evidence of a training (dates, status, completion) that funders and auditors check: the
training bodies change them through the platform's pages (withdrawal, completion), which keep their traces.
"""
from django.contrib import admin

from lms.core.admin_site import ReadOnlyAdmin
from lms.learning.models import Cohort, Enrolment


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
