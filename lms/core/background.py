"""Requests that a page makes on its own while it is shown (heartbeats, autosave): marked on their views, so that
middleware which checks page views (the staff MFA check) lets them through without work or session writes."""
from functools import wraps


def background_request(view):
    """Mark a view that a page calls on its own while shown (a heartbeat): the page was checked when it was served,
    so this request is not, and it neither redirects nor writes the session (it must stay cheap)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.background_request = True
    return wrapped
