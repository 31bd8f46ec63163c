from django import template

from lms.catalog.videos import player_for

register = template.Library()


@register.filter
def video_player(url):
    """{% with player=value.video.url|video_player %}: provider, embed_url, watch_url, or None."""
    return player_for(url)
