"""Dates in words as French writes them: '1er septembre 2026', '24 novembre 2026'."""
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.template import Context, Template
from django.utils import translation

from lms.core.display import DateText, long_date


def test_the_first_of_the_month_is_1er_in_french_only():
    with translation.override("fr"):
        assert long_date(date(2026, 9, 1)) == "1er septembre 2026"
        assert long_date(date(2026, 11, 24)) == "24 novembre 2026"
        assert long_date(date(2026, 11, 11)) == "11 novembre 2026"  # only the 1st
        assert long_date(None) == ""
        assert DateText()(date(2027, 1, 1)) == "1er janvier 2027"
        assert DateText()(date(2027, 1, 21)) == "21 janvier 2027"
    with translation.override("en"):
        assert long_date(date(2026, 9, 1)) == "1 September 2026"
        assert DateText()(date(2026, 9, 1)) == "1 September 2026"


def test_the_filter_shows_times_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    template = Template('{% load display_tags %}{{ d|long_date }} / {{ t|long_date:"H:i" }}')
    moment = datetime(2026, 6, 30, 22, 30, tzinfo=dt_timezone.utc)  # 1 July, 00:30 in Paris
    with translation.override("fr"):
        assert template.render(Context({"d": date(2026, 3, 1), "t": moment})) == "1er mars 2026 / 1er juillet 2026 00:30"


@pytest.mark.django_db
def test_a_certificate_issued_on_the_first_says_1er(client):
    from lms.certificates.rendering import _date

    with translation.override("fr"):
        assert _date(date(2026, 10, 1)) == "1er octobre 2026"
