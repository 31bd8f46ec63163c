"""Lesson videos from YouTube, Vimeo or Dailymotion, played only once the reader asks for them.

Their players set cookies and tell the provider who watches: a lesson shows a placeholder naming the provider,
with a button that loads the player (static/js/video.js) and a link to watch on the provider's site.
"""
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Player:
    provider: str
    embed_url: str
    watch_url: str


_ID = re.compile(r"^[A-Za-z0-9_-]{4,64}$")


def _youtube(url):
    host, path = url.hostname or "", url.path
    if host == "youtu.be":
        video = path.strip("/").split("/")[0]
    elif path == "/watch":
        video = (parse_qs(url.query).get("v") or [""])[0]
    else:
        match = re.match(r"^/(?:embed|shorts|live|v)/([^/?#]+)", path)
        video = match.group(1) if match else ""
    if _ID.match(video):
        return Player("YouTube", f"https://www.youtube-nocookie.com/embed/{video}",
                      f"https://www.youtube.com/watch?v={video}")
    return None


def _vimeo(url):
    match = re.match(r"^/(?:video/)?(\d+)", url.path)
    if match:
        video = match.group(1)
        return Player("Vimeo", f"https://player.vimeo.com/video/{video}?dnt=1", f"https://vimeo.com/{video}")
    return None


def _dailymotion(url):
    if url.hostname == "dai.ly":
        video = url.path.strip("/")
    else:
        match = re.match(r"^/(?:embed/)?video/([^/_?#]+)", url.path)
        video = match.group(1) if match else ""
    if _ID.match(video):
        return Player("Dailymotion", f"https://www.dailymotion.com/embed/video/{video}",
                      f"https://www.dailymotion.com/video/{video}")
    return None


PROVIDERS = {
    "youtube.com": _youtube, "www.youtube.com": _youtube, "m.youtube.com": _youtube, "youtu.be": _youtube,
    "www.youtube-nocookie.com": _youtube,
    "vimeo.com": _vimeo, "www.vimeo.com": _vimeo, "player.vimeo.com": _vimeo,
    "dailymotion.com": _dailymotion, "www.dailymotion.com": _dailymotion, "dai.ly": _dailymotion,
}


def player_for(url):
    """The player of a video page's address, or None for a provider the site does not embed (a link is shown)."""
    try:
        parts = urlsplit(str(url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    finder = PROVIDERS.get((parts.hostname or "").lower())
    return finder(parts) if finder else None
