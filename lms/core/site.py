"""The site's own address, for links that leave the page: emails, QR codes, calendar feeds.

LMS_BASE_URL is the one source (production refuses to start without an https one, see `base_url_problem`). In
development, when it is not set, a link built during a request follows the scheme, host and port of that request,
so that a site served on another port (`make run PORT=8101`) links to itself.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host


def base_url(request=None):
    """The site's address, without a trailing slash."""
    if request is not None and settings.LMS_BASE_URL_FOLLOWS_REQUEST:
        return f"{request.scheme}://{request.get_host()}"
    return settings.LMS_BASE_URL.rstrip("/")


def absolute_url(path, request=None):
    """`path` (from reverse(), starting with a slash) as an absolute URL on this site."""
    return base_url(request) + path


def base_url_problem(url, allowed_hosts):
    """Why `url` cannot be a production site's address, or None: an absolute https URL of an allowed host."""
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.hostname:
        return f"LMS_BASE_URL must be the site's absolute https address (https://…), not {url!r}."
    if not validate_host(parts.hostname, allowed_hosts):
        return f"The host of LMS_BASE_URL ({parts.hostname}) is not in ALLOWED_HOSTS."
    return None
