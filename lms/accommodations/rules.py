"""How an accommodation lengthens a time limit and a planned duration: pure functions, whole units rounded up."""
from datetime import date, timedelta


def extended_minutes(minutes: int, percent: int) -> int:
    """A time limit lengthened by `percent`, rounded up to the minute: 30 min + 33 % = 40 min."""
    return -(-minutes * (100 + percent) // 100)


def extended_end(starts_on: date, ends_on: date, percent: int) -> date:
    """A planned end pushed back so that the span from `starts_on` is `percent` longer, rounded up to the day."""
    if not percent or ends_on <= starts_on:
        return ends_on
    span = (ends_on - starts_on).days
    return starts_on + timedelta(days=-(-span * (100 + percent) // 100))
