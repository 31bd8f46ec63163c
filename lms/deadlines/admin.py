from django.contrib import admin
from django.db import models

from lms.core.forms import BOUNDED_DATES, CheckedEvidenceField
from lms.deadlines.models import DeadlineRuleSet, DeclaredTraining, ReminderSent


@admin.register(DeadlineRuleSet)
class DeadlineRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "applies_from", "applies_until", "enrolment_years", "qualification_years", "legal_source"]
    formfield_overrides = BOUNDED_DATES


@admin.register(DeclaredTraining)
class DeclaredTrainingAdmin(admin.ModelAdmin):
    list_display = ["trainee", "employment", "kind", "occurred_on", "organisation", "declared_by", "declared_at"]
    raw_id_fields = ["employment"]
    list_filter = ["kind"]
    formfield_overrides = {**BOUNDED_DATES, models.FileField: {"form_class": CheckedEvidenceField}}


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["employment", "deadline", "threshold", "deadline_date", "sent_at"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]
