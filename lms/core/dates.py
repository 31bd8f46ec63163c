"""Calendar arithmetic shared by pace and deadline rules; pure functions, `today` always passed in."""
import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """Same day-number `months` later, or the last day of that month when it does not exist."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if start.day <= 28:  # every month has that day (and the deadline tables call this twice per assistant)
        return date(year, month, start.day)
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """French rule for periods in years: 29 February + 1 year lands on 28 February."""
    return add_months(start, 12 * years)


def add_working_days(start: date, days: int) -> date:
    """The date of the `days`-th working day (Monday–Friday) counting `start` as day 1 when it is one."""
    while start.weekday() >= 5:  # a weekend start: day 1 is the Monday
        start += timedelta(days=1)
    weeks, extra = divmod(max(days, 1) - 1, 5)  # whole weeks of 5 working days, then up to 4 more
    if start.weekday() + extra >= 5:  # those cross a weekend
        extra += 2
    return start + timedelta(weeks=weeks, days=extra)
