"""Legal dates are days in Paris (issue 14, point 5), whatever the time zone the server or a request is in.

The moments below are the edge cases the other tests of legal dates use: 00:30 in Paris on 1 June is still
31 May in UTC (summer, UTC+2); 23:30 in Paris on 31 December and 00:30 on 1 January straddle the year in winter
(UTC+1).
"""
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.utils import timezone

from lms.core.dates import legal_date, legal_day, legal_day_start, legal_today
from lms.learning.models import StudySession
from tests.factories import make_user

UTC = dt_timezone.utc
# (moment stored in UTC, its day in Paris)
PARIS_DAYS = [
    (datetime(2026, 5, 31, 22, 30, tzinfo=UTC), date(2026, 6, 1)),  # 00:30 on 1 June in Paris
    (datetime(2026, 12, 31, 22, 30, tzinfo=UTC), date(2026, 12, 31)),  # 23:30 on 31 December in Paris
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 1, 1)),  # 00:30 on 1 January in Paris
]
MOMENT_IDS = ["1-june-00h30", "31-december-23h30", "1-january-00h30"]
# Time zones a server or a request may be in: none of them changes a legal date.
OTHER_ZONES = ["UTC", "America/Cayenne", "Asia/Tokyo"]


@pytest.mark.parametrize("zone", OTHER_ZONES)
@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_legal_date_is_the_day_in_paris(moment, day, zone):
    with timezone.override(zone):
        assert legal_date(moment) == day
        assert legal_date(moment.astimezone(timezone.get_current_timezone())) == day


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_legal_today_follows_paris(monkeypatch, moment, day):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    with timezone.override("UTC"):
        assert legal_today() == day


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_a_day_starts_at_midnight_in_paris(moment, day):
    start = legal_day_start(day)
    assert start <= moment < legal_day_start(date.fromordinal(day.toordinal() + 1))
    assert legal_date(start) == day


@pytest.mark.django_db
@pytest.mark.parametrize("zone", OTHER_ZONES)
def test_the_database_truncates_to_the_same_day(zone):
    """legal_day (SQL) gives legal_date (Python) for every edge moment, whatever the connection's time zone."""
    user = make_user()
    for moment, _day in PARIS_DAYS:
        StudySession.objects.create(user=user, session_key_hash="k", started_at=moment, last_activity_at=moment)
    with timezone.override(zone):
        rows = list(StudySession.objects.annotate(day=legal_day("started_at")).order_by("started_at")
                    .values_list("day", flat=True))
    assert rows == [day for _moment, day in PARIS_DAYS]
