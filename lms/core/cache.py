"""What every reader shares (a track's structure and outline, a lesson's body, the deadline rule sets) kept in the
shared cache only — the database cache or Redis, the same for every node; nothing is kept in process memory.

A *scope* names data that changes together: ``track:12`` (a track's pages), ``media`` (the images and documents
that lesson bodies show), ``deadline-rules``. Each scope has a version token in the cache, and every cached value
built from a scope's data is stored under a key that carries the token. ``invalidate(scope)`` replaces the token
once the writing transaction has committed, so that on every node the next request misses and rebuilds from the
committed data. A reader that raced the change (it read the old token and the old rows, then stored what it
built) stored it under the old token, which nobody reads any more: an old version is served at most to the
request that built it.
"""
import uuid

from django.core.cache import cache
from django.db import transaction

TOKEN_PREFIX = "scope-version:"
_MISSING = object()


def _token_key(scope):
    return f"{TOKEN_PREFIX}{scope}"


def versions(scopes):
    """{scope: its current version token} in one cache round trip (two the first time a scope is seen)."""
    keys = {scope: _token_key(scope) for scope in scopes}
    found = cache.get_many(list(keys.values()))
    missing = [scope for scope, key in keys.items() if key not in found]
    if missing:
        created = {keys[scope]: uuid.uuid4().hex for scope in missing}
        for key, token in created.items():
            cache.add(key, token, None)  # another node may have created it first: keep the one stored
        stored = cache.get_many(list(created))
        found.update({key: stored.get(key, token) for key, token in created.items()})
    return {scope: found[key] for scope, key in keys.items()}


def get_or_build_many(builders, timeout):
    """{key: value} for {key: build}: the values found in the cache, the others built, stored and returned.

    A build that returns None (an unknown or unpublished object) is returned as None and not stored.
    """
    values = cache.get_many(list(builders))
    built = {}
    for key, build in builders.items():
        if key not in values:
            values[key] = built[key] = build()
    stored = {key: value for key, value in built.items() if value is not None}
    if stored:
        cache.set_many(stored, timeout)
    return values


def get_or_build(key, build, timeout):
    return get_or_build_many({key: build}, timeout)[key]


def invalidate(scopes, using=None):
    """Replace the scopes' version tokens once the current transaction commits (at once outside a transaction)."""
    scopes = list(scopes)
    if scopes:
        transaction.on_commit(lambda: cache.set_many({_token_key(scope): uuid.uuid4().hex for scope in scopes}, None),
                              using=using, robust=True)
