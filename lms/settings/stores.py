"""The shared stores of a production node, read from the environment: Redis for the cache, S3 for the media.

Every web node of a deployment is interchangeable when none keeps state of its own: data in PostgreSQL, the cache
(sessions through `cached_db`, rate limits, shared fragments) in one Redis, uploaded and issued files in one bucket.
Each function takes the environment as a mapping and returns settings, so that a test can read what a given
environment gives without starting Django.
"""

REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"
S3_STORAGE_BACKEND = "lms.core.storage.PrivateS3Storage"


def redis_cache_settings(environ):
    """CACHES for a Redis at REDIS_URL (redis://[:password@]host:port/db, rediss:// for TLS); None when unset.

    Short socket timeouts: a Redis that stops answering fails a request in seconds instead of holding a worker
    until gunicorn kills it.
    """
    url = environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    timeout = float(environ.get("REDIS_SOCKET_TIMEOUT", "2"))
    return {
        "default": {
            "BACKEND": REDIS_CACHE_BACKEND,
            "LOCATION": url,
            "KEY_PREFIX": environ.get("REDIS_KEY_PREFIX", "lms"),  # several sites may share one Redis
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


def s3_storage_settings(environ, *, max_memory_size):
    """The `default` entry of STORAGES for an S3-compatible bucket named by AWS_STORAGE_BUCKET_NAME; None when unset.

    Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance role).
    Objects are private and never overwritten (a certificate PDF is frozen under its name); their URL is MEDIA_URL,
    so every read goes through the permission check of lms.learning.files (lms.core.storage).
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "file_overwrite": False,
        "location": environ.get("AWS_LOCATION", ""),  # a key prefix, to share a bucket
        "max_memory_size": max_memory_size,  # a larger file read from the bucket spills to a temporary file
    }
    for option, variable in (("endpoint_url", "AWS_S3_ENDPOINT_URL"), ("region_name", "AWS_S3_REGION_NAME"),
                             ("addressing_style", "AWS_S3_ADDRESSING_STYLE")):
        if value := environ.get(variable, "").strip():
            options[option] = value
    return {"BACKEND": S3_STORAGE_BACKEND, "OPTIONS": options}
