"""Production: every secret from the environment, HTTPS only, staff MFA required."""
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list
from .stores import S3_STORAGE_BACKEND, redis_cache_settings, s3_storage_settings
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

# Several interchangeable nodes (README, "Deploying several nodes"): the cache in Redis when REDIS_URL is set (else
# the database cache of base.py), the media in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (else
# MEDIA_ROOT, which the nodes must then share).
CACHES = redis_cache_settings(os.environ) or CACHES
STORAGES = {
    "default": (s3_storage_settings(os.environ, max_memory_size=FILE_UPLOAD_MAX_MEMORY_SIZE)
                or {"BACKEND": "django.core.files.storage.FileSystemStorage"}),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if STORAGES["default"]["BACKEND"] == S3_STORAGE_BACKEND and LMS_PROTECTED_MEDIA_SERVE == "x-accel-redirect":
    # nginx cannot sign a request to a private bucket: Django streams the files (x-sendfile falls back by itself).
    raise ImproperlyConfigured("LMS_PROTECTED_MEDIA_SERVE=x-accel-redirect needs files on disk, not a bucket.")
PDF_SIGNING_GENERATE = False  # the signing key and certificate are given (PDF_SIGNING_KEY, PDF_SIGNING_CERT): check certificates.E001
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # collectstatic's output, served by WhiteNoise

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", True)
