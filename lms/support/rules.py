"""When a question must be answered: the track's response time, in working hours (Monday to Friday, Paris time).

Pure functions of the moments passed in (STYLE.md, habit 3).
"""
from datetime import datetime, time, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.core.dates import LEGAL_TIME_ZONE


def _next_working_day_start(moment):
    day = moment.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=LEGAL_TIME_ZONE)


def answer_due(asked_at: datetime, hours: int) -> datetime:
    """The moment by which a question asked at `asked_at` must be answered, `hours` working hours later: the hours
    of Saturdays and Sundays do not count (a question asked on Friday at 18:00 with 48 hours is due on Tuesday at
    18:00). Aware in, aware out (Paris time)."""
    moment = asked_at.astimezone(LEGAL_TIME_ZONE)
    if moment.weekday() >= 5:  # asked on a weekend: the clock starts on Monday morning
        moment = _next_working_day_start(moment)
    remaining = timedelta(hours=max(hours, 0))
    while True:
        midnight = datetime.combine(moment.date() + timedelta(days=1), time.min, tzinfo=LEGAL_TIME_ZONE)
        if moment + remaining <= midnight:
            return moment + remaining
        remaining -= midnight - moment
        moment = _next_working_day_start(moment)


def is_late(awaiting_since, hours, now) -> bool:
    """Whether a question waiting since `awaiting_since` (None: nobody waits) is past its response time."""
    return awaiting_since is not None and now > answer_due(awaiting_since, hours)


def response_time_display(hours: int) -> str:
    """'48 working hours', in the reader's language."""
    return ngettext("%(hours)s working hour", "%(hours)s working hours", hours) % {"hours": hours}


def waiting_display(awaiting_since, now) -> str:
    """How long a question has waited, roughly: '3 h', '2 days'."""
    seconds = max((now - awaiting_since).total_seconds(), 0)
    if seconds < 3600:
        return _("less than an hour")
    if seconds < 48 * 3600:
        hours = int(seconds // 3600)
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    days = int(seconds // 86400)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
