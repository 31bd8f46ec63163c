from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import TraineeProfile, User


class EmailAddressInline(admin.TabularInline):
    """The user's addresses (allauth's): one "Comptes" section, not a second one for the addresses."""

    model = EmailAddress
    fields = ["email", "verified", "primary"]
    extra = 0


class AuthenticatorInline(admin.TabularInline):
    """Second factors: shown, and removable for a user who lost theirs; never added or edited here."""

    model = Authenticator
    verbose_name = _("second factor")
    verbose_name_plural = _("second factors")
    fields = ["type", "created_at", "last_used_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [EmailAddressInline, AuthenticatorInline]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(TraineeProfile)
class TraineeProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "entry_profile"]
    list_filter = ["entry_profile"]
    search_fields = ["user__email", "user__last_name"]
