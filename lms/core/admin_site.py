"""The Django admin of the platform's administrators: its own titles, one "Comptes" section, read-only evidence.

Installed in place of "django.contrib.admin" (INSTALLED_APPS names PlatformAdminConfig), the documented way to
replace the default admin site.
"""
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    site_title = format_lazy(_("{site} — administration"), site=settings.LMS_SITE_NAME)
    site_header = site_title
    index_title = _("Platform administration")


class PlatformAdminConfig(AdminConfig):
    default_site = "lms.core.admin_site.PlatformAdminSite"

    def ready(self):
        super().ready()  # every app's admin module is registered from here on
        # Imported here: allauth's models exist only once the apps are loaded. Their e-mail addresses and
        # authenticators are shown on each user (lms.accounts.admin), so that accounts have one section.
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        for model in (EmailAddress, Authenticator):
            if admin.site.is_registered(model):
                admin.site.unregister(model)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence kept under legal obligation: platform admins read it; the platform's own pages change it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
