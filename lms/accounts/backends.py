"""Authentication backends: Django's and allauth's, loading the logged-in user without building a query.

The user is read on every page view of a logged-in user, from the id in the session: the session store has
usually read the user's row with the session (lms.accounts.sessions); otherwise the query is the one Django's
ModelBackend runs, compiled once (see lms.core.prepared). Authentication itself is unchanged.
"""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from lms.accounts.sessions import take_loaded_user
from lms.core.prepared import Prepared

_USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk).order_by(), pk=int)


class PreparedUserMixin:
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if type(pk) is not int:
            return None
        user = take_loaded_user(pk)
        if user is None:
            rows = _USER(pk=pk)
            user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(PreparedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(PreparedUserMixin, AllauthBackend):
    pass
