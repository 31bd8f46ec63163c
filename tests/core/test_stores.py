"""The production profile's shared stores: Redis from REDIS_URL, a private bucket from AWS_STORAGE_BUCKET_NAME."""
import pytest
from django.core.checks import Error

from lms.core.checks import check_shared_state
from lms.core.storage import PrivateS3Storage
from lms.settings.stores import REDIS_CACHE_BACKEND, S3_STORAGE_BACKEND, redis_cache_settings, s3_storage_settings
from tests.core.test_pages import PRODUCTION_ENV, _run_production_check

BASE_URL = {"LMS_BASE_URL": "https://parcours-am.example.org"}
BUCKET_ENV = {"AWS_STORAGE_BUCKET_NAME": "parcours-media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
              "AWS_S3_REGION_NAME": "fr-par", "AWS_S3_ADDRESSING_STYLE": "path",
              "AWS_ACCESS_KEY_ID": "cle", "AWS_SECRET_ACCESS_KEY": "secret"}


def test_redis_url_gives_django_redis_cache_with_short_timeouts():
    caches = redis_cache_settings({"REDIS_URL": "redis://:mdp@redis.interne:6379/2"})
    assert caches["default"]["BACKEND"] == REDIS_CACHE_BACKEND == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://:mdp@redis.interne:6379/2"
    assert caches["default"]["OPTIONS"] == {"socket_connect_timeout": 2.0, "socket_timeout": 2.0}
    assert redis_cache_settings({}) is None and redis_cache_settings({"REDIS_URL": " "}) is None


def test_bucket_gives_private_never_overwritten_storage():
    storage = s3_storage_settings(BUCKET_ENV, max_memory_size=1024)
    assert storage["BACKEND"] == S3_STORAGE_BACKEND
    assert storage["OPTIONS"] == {"bucket_name": "parcours-media", "default_acl": "private", "file_overwrite": False,
                                  "location": "", "max_memory_size": 1024, "endpoint_url": "http://127.0.0.1:9000",
                                  "region_name": "fr-par", "addressing_style": "path"}
    assert s3_storage_settings({}, max_memory_size=1024) is None


def test_a_stored_file_url_is_the_sites_media_url_not_a_bucket_url(settings):
    """Browsers ask the site, which checks who may read (lms.learning.files); no presigned URL leaks the file."""
    settings.MEDIA_URL = "/media/"
    storage = PrivateS3Storage(bucket_name="parcours-media", endpoint_url="http://127.0.0.1:9000")
    assert storage.url("certificates/2026/attestation été.pdf") == "/media/certificates/2026/attestation%20%C3%A9t%C3%A9.pdf"
    assert storage.url("/images/photo.png") == "/media/images/photo.png"


def test_check_deploy_is_clean_with_redis_and_a_bucket():
    """The multi-node profile passes `check --deploy` (nothing is contacted: settings only)."""
    result = _run_production_check({**PRODUCTION_ENV, **BASE_URL, **BUCKET_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_nginx_fast_path_is_refused_with_a_bucket():
    """nginx cannot read a private bucket: x-accel-redirect with AWS_STORAGE_BUCKET_NAME stops the start."""
    result = _run_production_check({**PRODUCTION_ENV, **BASE_URL, **BUCKET_ENV,
                                    "LMS_PROTECTED_MEDIA_SERVE": "x-accel-redirect"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "x-accel-redirect" in result.stderr


@pytest.mark.parametrize("cache, storage, ids", [
    ("django.core.cache.backends.locmem.LocMemCache", "django.core.files.storage.InMemoryStorage",
     ["lms.E002", "lms.E003"]),
    ("django.core.cache.backends.dummy.DummyCache", "django.core.files.storage.FileSystemStorage", ["lms.E002"]),
    ("django.core.cache.backends.db.DatabaseCache", S3_STORAGE_BACKEND, []),
    (REDIS_CACHE_BACKEND, "django.core.files.storage.FileSystemStorage", []),
])
def test_deploy_check_refuses_state_private_to_a_process(settings, cache, storage, ids):
    settings.CACHES = {"default": {"BACKEND": cache, "LOCATION": "x"}}
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": storage}}
    errors = check_shared_state(None)
    assert [error.id for error in errors] == ids
    assert all(isinstance(error, Error) for error in errors)


def _cache_settings(env):
    import json
    import os
    import subprocess
    import sys

    code = ("import json, os; os.environ.setdefault('SECRET_KEY', 'x' * 50); from lms.settings import base; "
            "print(json.dumps(base.CACHES['default']))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CACHE_")}
    result = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_database_cache_keeps_more_rows_than_the_sessions_of_a_class():
    """Django's default (300 rows, then a third deleted) would drop sessions and cached pages under one class."""
    assert _cache_settings({})["OPTIONS"] == {"MAX_ENTRIES": 20000}
    assert _cache_settings({"CACHE_MAX_ENTRIES": "50000"})["OPTIONS"] == {"MAX_ENTRIES": 50000}
    # another backend gets no option it would not know
    assert "OPTIONS" not in _cache_settings({"CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache"})
