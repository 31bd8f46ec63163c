from django.contrib import admin
from django.db import models

from lms.core.forms import BOUNDED_DATES, CheckedImageField
from lms.organisations.models import (
    Employment,
    Invitation,
    Practice,
    PracticeMembership,
    TrainingBody,
    TrainingBodyMembership,
)


class TrainingBodyMembershipInline(admin.TabularInline):
    model = TrainingBodyMembership
    autocomplete_fields = ["user"]
    extra = 0


class PracticeMembershipInline(admin.TabularInline):
    model = PracticeMembership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(TrainingBody)
class TrainingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number", "city"]
    search_fields = ["name", "registration_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TrainingBodyMembershipInline]
    # Logo and signature are printed on certificates: stored re-encoded, 1200 px at most (ample at 300 dpi).
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageField, "max_side": 1200}}


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "city"]
    search_fields = ["name", "city"]
    inlines = [PracticeMembershipInline]


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ["trainee", "practice", "hired_on", "working_time", "ended_on"]
    list_filter = ["working_time"]
    search_fields = ["trainee__email", "trainee__last_name", "practice__name"]
    autocomplete_fields = ["trainee", "practice"]
    formfield_overrides = BOUNDED_DATES


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "practice", "training_body", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by", "created_at"]
