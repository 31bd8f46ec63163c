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


def test_arithmetic_on_the_calendar_s_last_days_is_clamped_not_an_error():
    """A stored start of 31/12/9999 (or hire date, or cohort end): every sum lands on date.max, none raises."""
    from lms.core.dates import add_years

    last = date(9999, 12, 31)
    assert add_working_days(last, 12) == date.max
    assert add_working_days(date(9999, 12, 25), 12) == date.max  # a Saturday, then past the end
    assert add_months(last, 4) == date.max and add_months(date(9999, 11, 30), 4) == date.max
    assert add_years(last, 3) == date.max
    assert add_years(date(1, 1, 1), -2) == date.min
    assert add_working_days(date(2026, 2, 28), 1) == date(2026, 3, 2)  # ordinary dates as before


def test_add_days_is_clamped_at_both_ends():
    from lms.core.dates import add_days

    assert add_days(date.max, 1) == date.max and add_days(date.min, -1) == date.min
    assert add_days(date(2026, 1, 31), 1) == date(2026, 2, 1)
    assert add_days(date(2026, 1, 1), 10**12) == date.max  # more days than a timedelta holds


def test_deadline_calendar_of_a_hire_on_the_last_day_does_not_fail():
    """The iCalendar event of a deadline on 31/12/9999 ends that day rather than the day after (which does not exist)."""
    from datetime import datetime, timezone

    from lms.deadlines.ical import calendar as ical

    body = ical([("x", date.max, "Échéance", "Avenant 7")], name="Test", now=datetime(2026, 1, 1, tzinfo=timezone.utc),
                domain="testserver")
    assert "DTSTART;VALUE=DATE:99991231" in body and "DTEND;VALUE=DATE:99991231" in body
