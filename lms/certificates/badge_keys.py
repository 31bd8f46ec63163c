"""The platform's key for signing Open Badges credentials, and its public half as a JWK Set.

One key for every process and node: given in production (OPEN_BADGES_SIGNING_KEY, a PEM, or the file
OPEN_BADGES_SIGNING_KEY_FILE), generated in development into that file, created atomically so that two workers
starting together end with the same key.
"""
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import RSAKey

ALGORITHM = "RS256"  # Open Badges 3.0, section 8.2.3: every verifier supports RS256
KEY_SIZE = 3072

_loaded = {}  # PEM bytes -> RSAKey: parsing is the slow part; the key itself comes from settings or the shared file


def _generate_file(path):
    """Write a new private key at `path` unless one is there: link(2) of a complete temporary file never
    overwrites, so a concurrent writer's key wins and this one is dropped."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = RSAKey.generate_key(KEY_SIZE, private=True).as_pem(private=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".open-badges-key-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)


def key_pem():
    """The private key's PEM bytes, from the setting, else the file (generated when allowed)."""
    if settings.OPEN_BADGES_SIGNING_KEY:
        return settings.OPEN_BADGES_SIGNING_KEY.encode()
    path = Path(settings.OPEN_BADGES_SIGNING_KEY_FILE)
    if not path.exists():
        if not settings.OPEN_BADGES_GENERATE_KEY:
            raise ImproperlyConfigured("No Open Badges signing key: set OPEN_BADGES_SIGNING_KEY or "
                                       "OPEN_BADGES_SIGNING_KEY_FILE.")
        _generate_file(path)
    return path.read_bytes()


def signing_key():
    """The platform's private key (an RSA key for RS256)."""
    pem = key_pem()
    if pem not in _loaded:
        key = RSAKey.import_key(pem)
        if not key.is_private:
            raise ImproperlyConfigured("The Open Badges signing key must be a private RSA key.")
        _loaded.clear()
        _loaded[pem] = key
    return _loaded[pem]


def key_problem():
    """Why the configured key cannot sign, or None (the deploy check)."""
    if not settings.OPEN_BADGES_SIGNING_KEY and not Path(settings.OPEN_BADGES_SIGNING_KEY_FILE).exists() \
            and not settings.OPEN_BADGES_GENERATE_KEY:
        return "No Open Badges signing key: OPEN_BADGES_SIGNING_KEY is empty and OPEN_BADGES_SIGNING_KEY_FILE is missing."
    try:
        signing_key()
    except (ValueError, TypeError, OSError, ImproperlyConfigured) as error:
        return f"The Open Badges signing key cannot be read: {error}"
    return None


def key_id(jwks_url):
    """The key's id: the JWK Set's address and the key's RFC 7638 thumbprint, a URI a verifier can follow."""
    return f"{jwks_url}#{signing_key().thumbprint()}"


def public_jwks(jwks_url):
    """The JWK Set publishing the public key."""
    public = signing_key().as_dict(private=False)
    public.update(kid=key_id(jwks_url), use="sig", alg=ALGORITHM)
    return {"keys": [public]}
