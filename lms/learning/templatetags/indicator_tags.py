"""{% track_indicators tracks as indicators %}: the published results of the tracks of a public page (one query for
all of them; lms.learning.indicators)."""
from django import template

from lms.core.dates import legal_today
from lms.learning.indicators import track_indicators as _track_indicators

register = template.Library()


@register.simple_tag
def track_indicators(tracks):
    """[(track, TrackIndicators)] in the tracks' order."""
    tracks = list(tracks)
    found = _track_indicators([t.pk for t in tracks], today=legal_today())
    return [(track, found[track.pk]) for track in tracks]
