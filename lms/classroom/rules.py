"""When a séance may be signed: a pure function of the séance's times and `now`."""
from datetime import datetime, timedelta

from lms.core.dates import LEGAL_TIME_ZONE

# A signature certifies the half-day it is given for: it is accepted from the half-day's start until this long
# after its end (time to sign at the end of the class, or just after a virtual one), never before, never later.
SIGNING_GRACE = timedelta(hours=2)
# A virtual class's video link is shown from this long before it starts until the signing window closes.
LINK_SHOWN_BEFORE = timedelta(minutes=30)


def session_bounds(session):
    """(start, end) of the half-day as aware datetimes in French legal time."""
    return (datetime.combine(session.date, session.starts_at, tzinfo=LEGAL_TIME_ZONE),
            datetime.combine(session.date, session.ends_at, tzinfo=LEGAL_TIME_ZONE))


def signing_window(session):
    start, end = session_bounds(session)
    return start, end + SIGNING_GRACE


def signing_open(session, now):
    """Whether a signature for this séance is accepted at `now`."""
    opens, closes = signing_window(session)
    return opens <= now <= closes


def link_shown(session, now):
    """Whether a virtual class's link is shown at `now` (near and during the class)."""
    start, _end = session_bounds(session)
    return start - LINK_SHOWN_BEFORE <= now <= signing_window(session)[1]
