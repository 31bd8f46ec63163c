"""Wagtail admin screens checked by lms.catalog.admin_guards, in front of Wagtail's at the same paths.

Included in lms/urls.py just before Wagtail's admin (Wagtail's register_admin_urls hook adds URLs after its own, so
it cannot take their place); the URL names stay Wagtail's, so every link Wagtail builds leads here.
"""
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from lms.catalog import admin_guards

urlpatterns = [
    path("images/chooser/<int:image_id>/select_format/", admin_guards.image_select_format),
    path("pages/workflow/confirm_cancellation/<int:page_id>/", admin_guards.ConfirmWorkflowCancellation.as_view()),
    path("choose-external-link/", admin_guards.ExternalLinkChooser.as_view()),
]
urlpatterns = decorate_urlpatterns(decorate_urlpatterns(urlpatterns, require_admin_access), never_cache)
