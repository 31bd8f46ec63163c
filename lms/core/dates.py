"""Calendar arithmetic shared by pace and deadline rules; pure functions, `today` always passed in."""
import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """Same day-number `months` later, or the last day of that month when it does not exist."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """French rule for periods in years: 29 February + 1 year lands on 28 February."""
    return add_months(start, 12 * years)


def add_working_days(start: date, days: int) -> date:
    """The date of the `days`-th working day (Monday–Friday) counting `start` as day 1 when it is one."""
    current, counted = start, 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted >= days:
                return current
        current += timedelta(days=1)
