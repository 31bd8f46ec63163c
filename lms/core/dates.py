"""Calendar arithmetic shared by pace and deadline rules, and the day a moment falls on in French law.

The arithmetic is pure, `today` always passed in. Every function takes any date Python can hold and never raises:
a result beyond the calendar's ends is clamped to date.min or date.max (a stored start of 31/12/9999 plans its end
on 31/12/9999, and the page shows that rather than failing).

Moments are stored in UTC; the dates that decide deadlines and appear on legal documents are the days in Paris
(a track completed at 00:30 in Paris on 1 June, 22:30 UTC on 31 May, counts on 1 June). Every conversion goes
through legal_date / legal_day, never `.date()` on an aware datetime nor the server's or the request's time zone.
"""
import calendar
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models.functions import TruncDate
from django.utils import timezone

# The training and the employment are in France: the Code du travail counts days in local (metropolitan) time.
LEGAL_TIME_ZONE = ZoneInfo("Europe/Paris")


def legal_date(moment: datetime) -> date:
    """The day an aware datetime falls on in Paris."""
    return timezone.localdate(moment, timezone=LEGAL_TIME_ZONE)


def legal_today() -> date:
    """Today in Paris, whatever the server's or the request's time zone."""
    return legal_date(timezone.now())


def legal_day_start(day: date) -> datetime:
    """The first moment of a day in Paris (aware): a moment falls on or before `day` when it is earlier than
    legal_day_start(day + 1 day)."""
    return datetime.combine(day, time.min, tzinfo=LEGAL_TIME_ZONE)


def legal_day(field: str) -> TruncDate:
    """legal_date computed by the database, for filters and annotations on a datetime column."""
    return TruncDate(field, tzinfo=LEGAL_TIME_ZONE)


def add_days(start: date, days: int) -> date:
    """`start` plus `days` (negative: minus), clamped to the calendar's ends."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(start: date, months: int) -> date:
    """Same day-number `months` later, or the last day of that month when it does not exist."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if year > MAXYEAR:
        return date.max
    if year < MINYEAR:
        return date.min
    if start.day <= 28:  # every month has that day (and the deadline tables call this twice per assistant)
        return date(year, month, start.day)
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """French rule for periods in years: 29 February + 1 year lands on 28 February."""
    return add_months(start, 12 * years)


def add_working_days(start: date, days: int) -> date:
    """The date of the `days`-th working day (Monday–Friday) counting `start` as day 1 when it is one."""
    if start.weekday() >= 5:  # a weekend start: day 1 is the Monday
        start = add_days(start, 7 - start.weekday())
    weeks, extra = divmod(max(days, 1) - 1, 5)  # whole weeks of 5 working days, then up to 4 more
    if start.weekday() + extra >= 5:  # those cross a weekend
        extra += 2
    return add_days(start, 7 * weeks + extra)
