"""Stored files that Django hands out only after a permission check, with the web server's fast path in production.

Nothing under MEDIA_ROOT is public: the web server does not serve /media/ itself, every request for a stored file
reaches a Django view that decides who may read it (lms.learning.files), and the view answers with the functions
below. `LMS_PROTECTED_MEDIA_SERVE` says how the bytes leave:

- "django" (default): Django streams them through the storage API (development, tests, object storage);
- "x-accel-redirect": Django answers with an empty response carrying `X-Accel-Redirect:
  <LMS_PROTECTED_MEDIA_INTERNAL_URL><name>` and nginx sends the file from an `internal` location (README, "Media");
- "x-sendfile": Django answers with `X-Sendfile: <absolute path>` (Apache mod_xsendfile, lighttpd); a storage
  without local files falls back to streaming.
"""
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse

# The browser may keep a file for the pages of the session, a shared cache never (the file is someone's).
CACHE_CONTROL = "private, max-age=3600"


def _with_headers(response, content_disposition):
    response["Content-Disposition"] = content_disposition
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"  # nothing a stored file says may run
    return response


def _content_type(name, content_type):
    return content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"


def fast_path_response(name, *, content_type=None, content_disposition="inline"):
    """An empty response telling the web server to send the stored file `name`; None when Django must send it."""
    method = settings.LMS_PROTECTED_MEDIA_SERVE
    if method == "x-accel-redirect":
        header, value = "X-Accel-Redirect", quote(settings.LMS_PROTECTED_MEDIA_INTERNAL_URL.rstrip("/") + "/" + name)
    elif method == "x-sendfile":
        try:
            header, value = "X-Sendfile", default_storage.path(name)
        except NotImplementedError:  # object storage: no file on this machine
            return None
    else:
        return None
    response = HttpResponse(content_type=_content_type(name, content_type))
    response[header] = value
    return _with_headers(response, content_disposition)


def stored_file_response(name, *, content_type=None, content_disposition="inline"):
    """The response that sends the stored file `name` (a path in the default storage, as a FileField keeps it)."""
    response = fast_path_response(name, content_type=content_type, content_disposition=content_disposition)
    if response is not None:
        return response
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return _with_headers(FileResponse(handle, content_type=_content_type(name, content_type)), content_disposition)
