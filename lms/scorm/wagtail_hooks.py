"""The SCORM packages in the Wagtail admin: a menu entry for authors and managers, and its two screens."""
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.scorm import admin_views


@hooks.register("register_admin_urls")
def scorm_admin_urls():
    return [
        path("scorm/", admin_views.package_list, name="scorm_admin_packages"),
        path("scorm/ajouter/", admin_views.package_upload, name="scorm_admin_upload"),
    ]


class AuthorsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_author(request.user)


@hooks.register("register_admin_menu_item")
def scorm_menu_item():
    return AuthorsMenuItem(_("SCORM packages"), reverse("scorm_admin_packages"), icon_name="folder-open-inverse",
                           order=450)
