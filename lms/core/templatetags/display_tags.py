"""Dates in words, as French writes them ('1er septembre 2026')."""
from django import template

from lms.core.display import french_hours
from lms.core.display import colon as _colon
from lms.core.display import points as _points
from lms.core.display import long_date as _long_date

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, time_format=None):
    """{{ day|long_date }}, or {{ moment|long_date:"H:i" }} with the time (in the site's time zone)."""
    return _long_date(value, time_format)


@register.filter
def hours(value, decimals=1):
    """{{ realised.hours|hours }} -> '12,5 h' (the French way, as on the attestation and the relevé)."""
    return french_hours(value, int(decimals))


@register.filter
def points(value):
    """{{ q.points|points }} -> '2 points', '1 point' (never '2 pt')."""
    return _points(value)


@register.simple_tag
def colon():
    """The colon after a label, as the active language writes it: 'Motif : …' in French, 'Reason: …' in English."""
    return _colon()
