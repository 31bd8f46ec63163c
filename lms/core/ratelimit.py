"""The client's address, and a fixed-window rate limit in the shared cache (works across web nodes with the
database cache or Redis).

Every rate limit keyed by address uses `client_ip`, allauth's included (lms.accounts.adapters).
"""
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The address of the client, as seen by the first proxy we trust.

    With LMS_TRUSTED_PROXY_COUNT = 0 (the default: no proxy in front) it is REMOTE_ADDR and X-Forwarded-For is
    ignored, as anyone can send it. Behind N trusted reverse proxies, each appends the address it received the
    request from to X-Forwarded-For: the client is the N-th entry from the end; entries left of it were written by
    the client and are not believed. A missing or malformed entry falls back to REMOTE_ADDR (the nearest proxy):
    one shared budget rather than one the client chooses.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "unknown"
    count = settings.LMS_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < count:
        return remote
    return _valid_ip(forwarded[-count]) or remote


def _bucket(key, window_seconds):
    return f"ratelimit:{key}:{int(time.time() // window_seconds)}"


def hit(key, *, window_seconds):
    """Count one hit for `key` in the current window; the number of hits in it so far."""
    bucket = _bucket(key, window_seconds)
    if cache.add(bucket, 1, window_seconds):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, window_seconds)
        return 1


def hits(key, *, window_seconds):
    """The number of hits counted for `key` in the current window, counting none."""
    return cache.get(_bucket(key, window_seconds), 0)


def too_many(key, *, limit, window_seconds):
    """Count one hit for `key`; True when more than `limit` hits fell in the current window."""
    return hit(key, window_seconds=window_seconds) > limit
