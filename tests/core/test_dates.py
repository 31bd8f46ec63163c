"""Calendar arithmetic: the fast forms give exactly what the plain definitions give."""
import calendar
from datetime import date, timedelta

from lms.core.dates import add_months, add_working_days


def plain_add_working_days(start, days):
    """The definition: walk day by day, counting Monday to Friday, `start` being day 1 when it is one."""
    current, counted = start, 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted >= days:
                return current
        current += timedelta(days=1)


def test_add_working_days_matches_the_day_by_day_count():
    """Every start weekday (a weekend too), from 0 to 130 working days: the same date as walking the calendar."""
    for offset in range(14):
        start = date(2026, 2, 23) + timedelta(days=offset)
        for days in range(0, 131):
            assert add_working_days(start, days) == plain_add_working_days(start, days), (start, days)


def test_add_months_matches_the_clamped_definition():
    """Every day of a leap year and the next, 0 to 40 months on: same day-number, else the month's last day."""
    for offset in range(366 + 365):
        start = date(2024, 1, 1) + timedelta(days=offset)
        for months in range(0, 41, 3):
            index = start.month - 1 + months
            year, month = start.year + index // 12, index % 12 + 1
            expected = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
            assert add_months(start, months) == expected, (start, months)
