"""Two cache levels for what every reader shares (a track's structure, a lesson's rendered body).

The shared cache (database or Redis) holds the value for every web process; each process also keeps
what it read in memory, so that a page view does not pay a cache round trip for it:

- values under an immutable key (one that changes whenever the value does, such as a lesson body keyed
  by its published revision) are kept in memory until they fall out of the bounded LRU;
- other values are trusted in memory for ``LMS_LOCAL_CACHE_SECONDS`` (10 s by default). ``forget()``
  removes a key from the shared cache and from this process at once, so the process that publishes sees
  its change immediately; other processes see it once their copy is that old.
"""
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

FOREVER = float("inf")
_MISSING = object()


class _LocalLRU:
    """A small thread-safe LRU of (value, stored_at) pairs."""

    def __init__(self, maxsize):
        self.maxsize = maxsize
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def set(self, key, value, stored_at):
        with self._lock:
            self._items[key] = (value, stored_at)
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def delete(self, key):
        with self._lock:
            self._items.pop(key, None)

    def clear(self):
        with self._lock:
            self._items.clear()


_local = _LocalLRU(maxsize=1024)


def shared_get(key, build, *, timeout, local_seconds=None):
    """The value under `key`: from this process if fresh enough, else from the shared cache, else `build()`.

    A `build()` that returns None is not cached (an unknown or unpublished object).
    """
    if local_seconds is None:
        local_seconds = getattr(settings, "LMS_LOCAL_CACHE_SECONDS", 10)
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and now - hit[1] < local_seconds:
        return hit[0]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        if value is None:
            return None
        cache.set(key, value, timeout)
    _local.set(key, value, now)
    return value


def local_get(key, build):
    """The value under `key` in this process only, built once: for what depends on the code and settings alone
    (such as the site's header rendered in one language), never on the database."""
    hit = _local.get(key)
    if hit is not None:
        return hit[0]
    value = build()
    _local.set(key, value, time.monotonic())
    return value


def forget(keys):
    """Drop these keys everywhere: the shared cache now, other processes within LMS_LOCAL_CACHE_SECONDS."""
    keys = list(keys)
    if keys:
        cache.delete_many(keys)
    for key in keys:
        _local.delete(key)


def clear_local():
    """Empty this process's copy (tests, after the shared cache was cleared)."""
    _local.clear()
