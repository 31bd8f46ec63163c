"""A fixed-window rate limit in the shared cache (works across web nodes with the database cache or Redis)."""
import time

from django.core.cache import cache


def client_ip(request):
    # Behind the reverse proxy, SECURE_PROXY_SSL_HEADER is trusted; REMOTE_ADDR is set by gunicorn from the proxy.
    return request.META.get("REMOTE_ADDR", "unknown")


def too_many(key, *, limit, window_seconds):
    """Count one hit for `key`; True when more than `limit` hits fell in the current window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window_seconds)}"
    if cache.add(bucket, 1, window_seconds):
        return False
    try:
        return cache.incr(bucket) > limit
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, window_seconds)
        return False
