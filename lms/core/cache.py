"""What every reader shares (a track's structure and outline, a lesson's body, the deadline rule sets) kept in the
shared cache only — the database cache or Redis, the same for every node; nothing is kept in process memory.

A *scope* names data that changes together: ``track:12`` (a track's pages), ``media`` (the images and documents
that lesson bodies show), ``deadline-rules``. Each scope has a version token in the cache, and every cached value
built from a scope's data is stored under a key that carries the token. ``invalidate(scope)`` replaces the token
once the writing transaction has committed, so that on every node the next request misses and rebuilds from the
committed data. A reader that raced the change (it read the old token and the old rows, then stored what it
built) stored it under the old token, which nobody reads any more: an old version is served at most to the
request that built it.

A value of one user's (their "Mon parcours") is stored with the tokens it was built under (read_stamped,
store_stamped), under ``trainee:<id>`` for their own rows and ``trainees`` for the shared rows every trainee's page
shows. The app that owns such rows says when they change: ``watch_rows`` for writes through the ORM, a call of
``trainees_changed`` beside a bulk write.
"""
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

TOKEN_PREFIX = "scope-version:"


def _token_key(scope):
    return f"{TOKEN_PREFIX}{scope}"


def versions(scopes):
    """{scope: its current version token} in one cache round trip (two the first time a scope is seen)."""
    return _versions_and(scopes)[0]


def _versions_and(scopes, keys=()):
    """({scope: token}, {key: value found}): the scopes' tokens and the values of other `keys`, in one round trip."""
    token_keys = {scope: _token_key(scope) for scope in scopes}
    found = cache.get_many([*token_keys.values(), *keys])
    missing = [scope for scope, key in token_keys.items() if key not in found]
    if missing:
        created = {token_keys[scope]: uuid.uuid4().hex for scope in missing}
        for key, token in created.items():
            cache.add(key, token, None)  # another node may have created it first: keep the one stored
        stored = cache.get_many(list(created))
        found.update({key: stored.get(key, token) for key, token in created.items()})
    return {scope: found[key] for scope, key in token_keys.items()}, {key: found[key] for key in keys if key in found}


def read_stamped(key, scopes):
    """(value, tokens): the value that store_stamped left under `key`, or None when there is none or when one of the
    scopes it was stamped with has changed since; `tokens`: the current tokens of `scopes`, read in the same round
    trip (a second one checks the other scopes the value was stamped with).

    A value that depends on one user's rows is stored under a key of its own with the tokens it was built under
    (its *stamp*), read before the rows: built while a change committed, it carries the old token and is never read.
    """
    tokens, found = _versions_and(scopes, [key])
    stored = found.get(key)
    if stored is None:
        return None, tokens
    stamp, value = stored
    if any(stamp.get(scope) != token for scope, token in tokens.items()):
        return None, tokens
    others = [scope for scope in stamp if scope not in tokens]
    if others and versions(others) != {scope: stamp[scope] for scope in others}:
        return None, tokens
    return value, tokens


def store_stamped(key, value, stamp, timeout):
    """Store `value` under `key` with `stamp`, {scope: the token read before the data it was built from}."""
    cache.set(key, (dict(stamp), value), timeout)


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
    """Drop the scopes' version tokens once the current transaction commits (at once outside a transaction): the next
    reader makes a new one (versions), so nothing stored under an old token is read again.

    Deleting costs one statement on the database cache, against three or four for writing a new token: the writes
    that invalidate (a lesson marked done, a quiz passed) are many more than the reads that make the token again."""
    keys = [_token_key(scope) for scope in scopes]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys), using=using, robust=True)


def watch_rows(model, scopes_of, *, deletions=True):
    """Invalidate `scopes_of(row)` once a row of `model` saved (or deleted) through the ORM commits.

    Writes that send no signal (bulk_create, QuerySet.update) invalidate where they are made. `deletions=False`
    leaves deletions unwatched, for rows only ever deleted with a parent whose own deletion invalidates: a receiver
    of deletions makes Django load and signal every row a cascade deletes.
    """
    def changed(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures loaded as they are
            invalidate(scopes_of(instance), using=kwargs.get("using"))

    uid = f"watch-rows:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    if deletions:
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


# What a trainee's own pages show ('Mon parcours'): each trainee's rows (enrolments and their progress, results,
# certificates, employments, declarations, accommodations) under a scope of their own; the shared rows that every
# trainee's page shows (training bodies, cohorts, disability referents, practices, the deadline rule sets) under one.
TRAINEES_SCOPE = "trainees"


def trainee_scope(user_id):
    return f"trainee:{user_id}"


def trainees_changed(user_ids, using=None):
    """Once the transaction commits, the trainees' own pages are built again from their rows."""
    invalidate({trainee_scope(pk) for pk in user_ids if pk is not None}, using=using)
