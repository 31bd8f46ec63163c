"""A first login that makes sense: the link that lets a person whose account was made for them (a trainee enrolled
by a training body) choose a password, which also confirms their address and logs them in.

The link carries a signed token (django.core.signing, salted for this use only) naming the account and a
fingerprint of its password and last login: choosing the password changes both, so a link works once. It expires
after LMS_WELCOME_LINK_DAYS days; an expired but unused link can ask for a new one, sent to the account's address.
"""
import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse

from lms.accounts.models import User

SALT = "lms.accounts.welcome"


def _fingerprint(user):
    """Changes when the password is set or the person logs in: a used link no longer matches."""
    seen = user.last_login.isoformat() if user.last_login else ""
    return hashlib.sha256(f"{user.pk}:{user.password}:{seen}".encode()).hexdigest()[:20]


def welcome_token(user):
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def welcome_url(user, base_url):
    """The absolute address of the user's welcome link (base_url: the site's own address)."""
    return base_url.rstrip("/") + reverse("account_welcome", args=[welcome_token(user)])


def link_days():
    return settings.LMS_WELCOME_LINK_DAYS


class WelcomeLink:
    """What a token names: `user` when the link may be used now; else why not (`expired`, or invalid/used)."""

    def __init__(self, token):
        self.user, self.expired, self.renewable_user = None, False, None
        try:
            data = signing.loads(token, salt=SALT, max_age=link_days() * 24 * 3600)
        except signing.SignatureExpired:
            self.expired = True
            data = self._unchecked_age(token)
        except signing.BadSignature:
            return
        user = self._matching_user(data)
        if user is None:
            self.expired = False  # used since, or the account is gone: nothing to renew
        elif self.expired:
            self.renewable_user = user
        else:
            self.user = user

    @staticmethod
    def _unchecked_age(token):
        try:
            return signing.loads(token, salt=SALT)  # the signature is still checked, not the age
        except signing.BadSignature:
            return None

    @staticmethod
    def _matching_user(data):
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        user = User.objects.filter(pk=data["u"], is_active=True).first()
        if user is None or user.has_usable_password() or data.get("f") != _fingerprint(user):
            return None
        return user
