"""Sessions in the database, read with their user in one prepared query (see lms.core.prepared).

Every page view of a logged-in user reads its session, then its user: Django's store and backend build those
two queries each time, which costs more here than running them. This store keeps the user's id in a column
(accounts.Session.user), reads the session row and the user row together in a query compiled once, checks
expiry on the row read, and hands the user row to the authentication backend (lms.accounts.backends), which
then needs no query of its own. The backend still checks that the user may log in and Django still checks the
session's password hash.
"""
import logging
import threading

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from lms.core.prepared import Prepared

_loaded = threading.local()  # the user row read with this thread's session, for the request being served


def _session_by_key(key):
    from lms.accounts.models import Session  # lazy, as in Django's db session backend

    return Session.objects.filter(session_key=key).select_related("user").order_by()


_SESSION = Prepared(_session_by_key, key=str)


def take_loaded_user(pk):
    """The user row read with the session of the request being served, if it is user `pk` (once)."""
    user, _loaded.user = getattr(_loaded, "user", None), None
    return user if user is not None and user.pk == pk else None


def forget_loaded_user(**kwargs):
    """Connected to request_finished: nothing read for one request serves the next."""
    _loaded.user = None


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from lms.accounts.models import Session  # lazy, as in Django's db session backend

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None
        return session

    def _get_session_from_db(self):
        _loaded.user = None
        try:
            rows = _SESSION(key=self.session_key)
        except SuspiciousOperation as error:  # as Django's store: logged, then a new session
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            rows = []
        if rows and rows[0].expire_date > timezone.now():
            _loaded.user = rows[0].user
            return rows[0]
        self._session_key = None
        return None
