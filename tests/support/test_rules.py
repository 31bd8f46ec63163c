"""The response time in working hours: weekends do not count (pure functions)."""
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lms.core.dates import LEGAL_TIME_ZONE
from lms.support.rules import answer_due, is_late, response_time_display

PARIS = LEGAL_TIME_ZONE


def at(*args):
    return datetime(*args, tzinfo=PARIS)


def test_a_question_asked_on_tuesday_is_due_two_days_later():
    assert answer_due(at(2026, 12, 1, 10, 0), 48) == at(2026, 12, 3, 10, 0)


def test_the_weekend_does_not_count():
    """Friday 18:00 + 48 working hours: Friday's last 6 h, Monday's 24, Tuesday until 18:00."""
    assert answer_due(at(2026, 12, 4, 18, 0), 48) == at(2026, 12, 8, 18, 0)


def test_a_question_asked_on_sunday_starts_on_monday_morning():
    assert answer_due(at(2026, 12, 6, 15, 30), 24) == at(2026, 12, 8, 0, 0)
    assert answer_due(at(2026, 12, 5, 9, 0), 8) == at(2026, 12, 7, 8, 0)


def test_late_only_when_someone_waits_past_the_due_moment():
    asked = at(2026, 12, 1, 10, 0)
    assert not is_late(asked, 48, at(2026, 12, 3, 10, 0))
    assert is_late(asked, 48, at(2026, 12, 3, 10, 1))
    assert not is_late(None, 48, at(2030, 1, 1))


def test_the_response_time_reads_in_french(settings):
    from django.utils import translation

    with translation.override("fr"):
        assert response_time_display(48) == "48 heures ouvrées"
        assert response_time_display(1) == "1 heure ouvrée"


@given(start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1)),
       hours=st.integers(min_value=1, max_value=720))
def test_the_due_moment_is_never_earlier_than_the_hours_and_never_on_a_weekend_start(start, hours):
    asked = start.replace(tzinfo=PARIS)
    due = answer_due(asked, hours)
    assert due - asked >= timedelta(hours=hours) - timedelta(hours=1)  # a clock change may take an hour
    assert due - asked <= timedelta(hours=hours) + timedelta(days=2 * (hours // 120 + 2))
