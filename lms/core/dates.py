"""Calendar arithmetic shared by pace and deadline rules; pure functions, `today` always passed in.

Every function takes any date Python can hold and never raises: a result beyond the calendar's ends is
clamped to date.min or date.max (a stored start of 31/12/9999 plans its end on 31/12/9999, and the page shows
that rather than failing).
"""
import calendar
from datetime import MAXYEAR, MINYEAR, date, timedelta


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
