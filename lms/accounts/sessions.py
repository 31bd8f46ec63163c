"""The database session store, with its per-request lookup prepared once (see lms.core.prepared).

Every page view of a logged-in user reads its session: Django's store builds that query each time, which costs
more here than running it. This store runs the same query, compiled once; expiry is checked on the row read.
"""
import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from lms.core.prepared import Prepared


def _session_by_key(key):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=key)


_SESSION = Prepared(_session_by_key, key=str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        try:
            rows = _SESSION(key=self.session_key)
        except SuspiciousOperation as error:  # as Django's store: logged, then a new session
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            rows = []
        if rows and rows[0].expire_date > timezone.now():
            return rows[0]
        self._session_key = None
        return None
