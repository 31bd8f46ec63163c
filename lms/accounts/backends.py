"""Authentication backends: Django's and allauth's, loading the logged-in user with a prepared query.

The user is read on every page view of a logged-in user (from the id in the session); the query is the one
Django's ModelBackend runs, compiled once (see lms.core.prepared). Authentication itself is unchanged.
"""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from lms.core.prepared import Prepared

_USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk), pk=int)


class PreparedUserMixin:
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if type(pk) is not int:
            return None
        rows = _USER(pk=pk)
        return rows[0] if rows and self.user_can_authenticate(rows[0]) else None


class ModelBackend(PreparedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(PreparedUserMixin, AllauthBackend):
    pass
