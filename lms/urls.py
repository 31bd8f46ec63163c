from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.core import views as core_views
from lms.core.forms import IdConverter
from lms.learning import files as learning_files
from lms.legal import views as legal_views

register_converter(IdConverter, "id")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("accessibilite/", legal_views.accessibility, name="accessibility"),
    path("donnees-personnelles/", legal_views.privacy, name="privacy"),
    path("mentions-legales/", legal_views.legal_notice, name="legal_notice"),
    path("comptes/", include("lms.accounts.urls")),
    path("comptes/", include("allauth.urls")),
    path("", include("lms.organisations.urls")),
    path("", include("lms.learning.urls")),
    path("", include("lms.quizzes.urls")),
    path("", include("lms.support.urls")),
    path("", include("lms.complaints.urls")),
    path("", include("lms.accommodations.urls")),
    path("", include("lms.surveys.urls")),
    path("", include("lms.classroom.urls")),
    path("", include("lms.scorm.urls")),
    path("", include("lms.reports.urls")),
    path("", include("lms.certificates.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms/", include("lms.catalog.admin_guard_urls")),  # Wagtail screens checked by lms.catalog.admin_guards
    path("cms/", include("lms.catalog.admin_urls")),  # per-body versions of some admin screens, then Wagtail's
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("formations/", include(wagtail_urls)),
    # Every stored file goes through a permission check, in development as in production (README, "Media").
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", learning_files.media, name="media"),
]

# The error pages: the site's layout, in French (or English).
handler400 = "lms.core.views.bad_request"
handler403 = "lms.core.views.permission_denied"
handler404 = "lms.core.views.page_not_found"
handler429 = "lms.core.views.too_many_requests"  # read by allauth's rate limits (not a Django handler)
handler500 = "lms.core.views.server_error"
