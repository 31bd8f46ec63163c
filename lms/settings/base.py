"""Settings shared by every environment; values come from the environment with safe development defaults."""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms.core",
    "lms.accounts",
    "lms.organisations",
    "lms.accommodations",
    "lms.catalog",
    "lms.learning",
    "lms.quizzes",
    "lms.certificates",
    "lms.xapi",
    "lms.deadlines",
    "lms.support",
    "lms.complaints",
    "lms.classroom",
    "lms.scorm",
    "lms.surveys",
    "lms.reports",
    "lms.legal",
    "lms.demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django (the admin under the platform's own site: titles, one accounts section)
    "lms.core.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.core.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.organisations.middleware.RequireStaffMFAMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lms.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),  # a connection per worker, not per request
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; writers wait up to 20 s for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20,
                                       "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id first (lms.accounts.hashers: costs measured here); PBKDF2 kept after it so that the existing hashes still
# check, and Django rewrites each with Argon2 at its owner's next login.
PASSWORD_HASHERS = [
    "lms.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "lms" / "core" / "assets"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Signed PDFs (lms.core.signing): the key and certificate, each a path or the PEM text; production sets both.
# Elsewhere a self-signed development pair is generated once into PDF_SIGNING_DEV_FILE and shared by the processes.
PDF_SIGNING_KEY = os.environ.get("PDF_SIGNING_KEY", "")
PDF_SIGNING_CERT = os.environ.get("PDF_SIGNING_CERT", "")
PDF_SIGNING_KEY_PASSPHRASE = os.environ.get("PDF_SIGNING_KEY_PASSPHRASE", "")
PDF_SIGNING_GENERATE = True
PDF_SIGNING_DEV_FILE = Path(os.environ.get("PDF_SIGNING_DEV_FILE", BASE_DIR / "var" / "pdf-signing-dev.pem"))
# Form fields other than files: 2.5 MB is far above any form of ours, a Wagtail page included.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
# Wagtail's page editor posts every field of every block: the shipped final assessment (63 questions) sends about
# 2,000, over Django's default of 1,000 (Wagtail recommends 10,000: wagtail/wagtail#12472).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploaded files above this go to a temporary file rather than memory (each web worker holds at most this much).
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)

# Email: EMAIL_URL such as smtp://user:pass@host:587/?tls=1, or console:// (default).
from lms.settings.email import email_settings_from_url  # noqa: E402

globals().update(email_settings_from_url(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Parcours AM <ne-pas-repondre@parcours-am.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache: database cache shared by every web node unless CACHE_URL-like setting says otherwise.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "lms_cache"),
    }
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # The database cache deletes a third of its rows whenever it holds more than this (Django's default, 300, is
    # fewer than the sessions of one class); it counts its rows at every write, so not unbounded either.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))}
# Sessions: Django's stock engines. cached_db reads through the shared cache and keeps the database as the record;
# with Redis as the cache, production may choose django.contrib.sessions.backends.cache (sessions in Redis only).
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")

# Background work: Wagtail's own tasks run at once by default; production may use django-tasks-db workers.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Sign-up and password reset answer the same whether an address has an account or not; the owner of the address
# learns the truth by email (an existing account is told so; an unknown address receives nothing).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SIGNUP_FORM_CLASS = "lms.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "lms.accounts.adapters.AccountAdapter"
# A whole class logs in from one address (a training room, a practice behind NAT): nothing here limits successful
# logins per address. Failed logins are counted per account (login_failed); per client address only as a backstop
# against trying many accounts (LMS_CLIENT_LOGIN_FAILURES, counted once a password has been checked and found wrong).
ACCOUNT_RATE_LIMITS = {
    "login": "",  # allauth's own 30 per minute per address would refuse a class
    "login_failed": "5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "100/h/ip,3/h/key",
    "confirm_email": "3/10m/key",
}
LMS_CLIENT_LOGIN_FAILURES = (300, 5 * 60)  # failed logins per client address, per this many seconds
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For (lms.core.ratelimit).
LMS_TRUSTED_PROXY_COUNT = int(os.environ.get("LMS_TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Parcours AM] "
LOGIN_REDIRECT_URL = "accounts_dashboard"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Parcours AM"
# Training-body staff and admins must use TOTP when this is on (production turns it on).
LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", False)

# External Learning Record Store (xAPI); statements stay in the local store when unset.
LRS_ENDPOINT = os.environ.get("LRS_ENDPOINT", "")
LRS_USERNAME = os.environ.get("LRS_USERNAME", "")
LRS_PASSWORD = os.environ.get("LRS_PASSWORD", "")
# ralph's models check every statement before it is sent (lms.xapi.services.forward_batch). Development and the tests
# also check each one as it is recorded, so that a statement of a wrong shape fails the request that built it; in
# production the learner's request does not pay for it.
XAPI_VALIDATE_ON_RECORD = False

# Training evidence (attempts, statements, attendance) kept this many years (funders' audits; 10 with EU funds).
LMS_EVIDENCE_RETENTION_YEARS = int(os.environ.get("LMS_EVIDENCE_RETENTION_YEARS", "6"))
# The other retention periods that `manage.py apply_retention` applies and the privacy notice states
# (lms.core.retention says what each covers and where its default comes from).
LMS_CONNECTION_LOG_RETENTION_YEARS = int(os.environ.get("LMS_CONNECTION_LOG_RETENTION_YEARS", "6"))
LMS_DECLARATION_RETENTION_YEARS = int(os.environ.get("LMS_DECLARATION_RETENTION_YEARS", "6"))
LMS_STATEMENT_RETENTION_YEARS = int(os.environ.get("LMS_STATEMENT_RETENTION_YEARS", "6"))
LMS_INACTIVE_ACCOUNT_YEARS = int(os.environ.get("LMS_INACTIVE_ACCOUNT_YEARS", "3"))  # CNIL's recommendation
LMS_INACTIVE_WARNING_DAYS = int(os.environ.get("LMS_INACTIVE_WARNING_DAYS", "30"))
LMS_STALE_INVITATION_DAYS = int(os.environ.get("LMS_STALE_INVITATION_DAYS", "90"))
LMS_REVOKED_CALENDAR_TOKEN_DAYS = int(os.environ.get("LMS_REVOKED_CALENDAR_TOKEN_DAYS", "30"))
LMS_ACTIVITY_BEAT_DAYS = int(os.environ.get("LMS_ACTIVITY_BEAT_DAYS", "7"))

# Invitations
LMS_INVITATION_VALID_DAYS = int(os.environ.get("LMS_INVITATION_VALID_DAYS", "14"))
# The welcome link of a trainee enrolled by a body (choose a password, confirm the address): valid this many days,
# once (lms.accounts.welcome); then it lands on their track.
LMS_WELCOME_LINK_DAYS = int(os.environ.get("LMS_WELCOME_LINK_DAYS", "7"))
LMS_WELCOME_REDIRECT_URL = "my_track"
LMS_SITE_NAME = "Parcours AM"
# The site's absolute address: QR codes, emails, xAPI ids (lms.core.site). Production requires an https one. In
# development, when it is not set, links built during a request follow the host and port the request came to.
LMS_BASE_URL = os.environ.get("LMS_BASE_URL") or "http://127.0.0.1:8000"
LMS_BASE_URL_FOLLOWS_REQUEST = not os.environ.get("LMS_BASE_URL")

# Wagtail
WAGTAIL_SITE_NAME = "Parcours AM"
# Page privacy (a password, logged-in users, groups) on the pages Wagtail serves and on ours (lms.learning.access):
# the site's login page and a password form in the site's layout.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# Wagtail's Draftail, started in a StreamField when the field comes near the screen (lms.catalog.widgets).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "lms.catalog.widgets.LazyDraftailRichTextArea"}}
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "core/password_required.html"
WAGTAILADMIN_BASE_URL = LMS_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming without accents: the text search configuration that migration core 0002 creates. SQLite has
    # no French stemmer: the lessons index their words' light stems too (lms.core.text_search).
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
# Documents and images are private to the readers of the lessons that use them (lms.learning.files): documents
# through Wagtail's view (never a redirect to the storage's URL), every file under MEDIA_URL through Django.
# LMS_PROTECTED_MEDIA_SERVE: "django" streams the bytes; "x-accel-redirect" (nginx) and "x-sendfile" (Apache,
# lighttpd) let the web server send them once Django has said yes (lms.core.protected_media; README, "Media").
WAGTAILDOCS_SERVE_METHOD = "serve_view"
LMS_PROTECTED_MEDIA_SERVE = os.environ.get("LMS_PROTECTED_MEDIA_SERVE", "django").strip().lower()
LMS_PROTECTED_MEDIA_INTERNAL_URL = os.environ.get("LMS_PROTECTED_MEDIA_INTERNAL_URL", "/protected-media/")
if LMS_PROTECTED_MEDIA_SERVE not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("LMS_PROTECTED_MEDIA_SERVE must be django, x-accel-redirect or x-sendfile.")
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # as lms.core.uploads.MAX_IMAGE_PIXELS: a decompression bomb is refused
# Uploaded images and documents go through lms.core.uploads (originals re-encoded, documents judged by their bytes).
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.core.wagtail_forms.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.core.wagtail_forms.CheckedDocumentForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar fetched from a third party (the CSP would block it anyway)
WAGTAIL_MODERATION_ENABLED = True

# Security defaults that hold everywhere; production tightens the rest.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# SCORM 1.2 packages (lms.scorm.validation): the zip uploaded, its content once inflated, its files, and the
# highest compression ratio of one file (a zip bomb inflates a thousandfold and more).
SCORM_MAX_PACKAGE_BYTES = int(os.environ.get("SCORM_MAX_PACKAGE_BYTES", 200 * 1024 * 1024))
SCORM_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("SCORM_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024))
SCORM_MAX_FILES = int(os.environ.get("SCORM_MAX_FILES", 5000))
SCORM_MAX_COMPRESSION_RATIO = int(os.environ.get("SCORM_MAX_COMPRESSION_RATIO", 100))
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "lms.core.views.csrf_failure"  # the site's 403 page, in French

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"},
                "wagtail": {"level": "WARNING"}},
}

# Open Badges 3.0 credentials (lms.certificates.badges) are signed with the platform's RSA key (RS256, the algorithm
# every OB 3.0 verifier must support): its PEM in OPEN_BADGES_SIGNING_KEY, or in the file OPEN_BADGES_SIGNING_KEY_FILE.
# Development generates that file on first use (OPEN_BADGES_GENERATE_KEY); production never does (check certificates.E002):
# every node must sign with the same key, whose public half /badges/cles.json publishes.
OPEN_BADGES_SIGNING_KEY = os.environ.get("OPEN_BADGES_SIGNING_KEY", "")
OPEN_BADGES_SIGNING_KEY_FILE = os.environ.get("OPEN_BADGES_SIGNING_KEY_FILE",
                                              str(BASE_DIR / "var" / "open-badges-signing-key.pem"))
OPEN_BADGES_GENERATE_KEY = env_bool("OPEN_BADGES_GENERATE_KEY", True)
