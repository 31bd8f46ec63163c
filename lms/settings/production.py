"""Production: every secret from the environment, HTTPS only, staff MFA required."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list
from lms.core.site import base_url_problem

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# Emails, QR codes and xAPI ids carry the site's address: it must be given, https, and one of ALLOWED_HOSTS.
LMS_BASE_URL = os.environ.get("LMS_BASE_URL", "")
if problem := base_url_problem(LMS_BASE_URL, ALLOWED_HOSTS):
    raise ImproperlyConfigured(problem)
LMS_BASE_URL_FOLLOWS_REQUEST = False
WAGTAILADMIN_BASE_URL = LMS_BASE_URL

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", True)
