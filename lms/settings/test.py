"""Test settings: fast hashing, in-memory email, local-memory cache."""
from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LMS_BASE_URL = "http://testserver"
LMS_BASE_URL_FOLLOWS_REQUEST = False
XAPI_VALIDATE_ON_RECORD = True  # a statement of a wrong shape fails the request that built it
# One Open Badges key for the whole test run, generated outside the project tree (tests/certificates/test_open_badges.py).
import tempfile  # noqa: E402

OPEN_BADGES_SIGNING_KEY_FILE = str(Path(tempfile.gettempdir()) / "parcours-am-tests" / "open-badges-signing-key.pem")
